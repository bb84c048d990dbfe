package io.lorafab.sim;

import io.lorafab.gateway.semtech.TxAckError;
import io.lorafab.lorawan.types.Eui64;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * A virtual gateway as the devices, AT modules and load runs of the simulator see it: whatever protocol it speaks to
 * the server (Semtech UDP: {@link VirtualGateway}; LoRa Basics Station: {@link VirtualBasicsStation}), it hears a
 * device's frame with its radio metadata and hands the device the downlink for its RX1 or RX2 slot. Device logic
 * stays in {@link VirtualDevice}; a gateway only carries frames and keeps time.
 */
public interface SimGateway extends AutoCloseable {

    /** When a downlink the gateway accepted reaches the device. */
    enum Timing {
        /** At its time on the gateway's clock, as on air. */
        ON_AIR("on-air"),
        /** As soon as the gateway accepts it: the wait for the slot is skipped. */
        COMPRESSED("compressed");

        private final String optionName;

        Timing(String optionName) {
            this.optionName = optionName;
        }

        /** How a command line spells it: {@code on-air} or {@code compressed}. */
        public String optionName() {
            return optionName;
        }

        /** The timing spelt {@code name} (case and surrounding blanks ignored), if any. */
        public static Optional<Timing> ofOptionName(String name) {
            String n = name.strip().toLowerCase(java.util.Locale.ROOT);
            for (Timing t : values()) {
                if (t.optionName.equals(n)) {
                    return Optional.of(t);
                }
            }
            return Optional.empty();
        }
    }

    Eui64 eui();

    Timing timing();

    /** Reaches the server and starts receiving downlinks; waits at most {@code timeout} for the server's answer. */
    void connect(Duration timeout) throws IOException;

    /** Keeps the connection alive on the protocol's own timer until closed. Call after {@link #connect}. */
    void startKeepAlive();

    /** Forwards an uplink heard from a device and does not wait for any downlink. */
    void push(byte[] phy, long frequencyHz, int sf, int rssi, double snr) throws IOException;

    /**
     * Forwards {@code phy} as heard from {@code device} and waits for the downlink in its RX1 or RX2 slot. Empty
     * when none came: on air, once the RX2 slot has passed; in any timing, after the reply timeout (a data uplink
     * usually has no answer).
     */
    Optional<byte[]> deliver(VirtualDevice device, byte[] phy, long frequencyHz, int sf, int rssi, double snr)
            throws IOException;

    /**
     * A fault to inject: the next {@code count} transmissions the server asks for (each receive window is one) are
     * refused as a gateway whose radio is taken by another transmission refuses them, whatever their timing.
     */
    void refuseNextDownlinks(int count);

    /** Transmissions refused for {@code reason} (TOO_LATE, TOO_EARLY, COLLISION_PACKET, ...: the forwarder's words). */
    long refusedDownlinks(TxAckError reason);

    /** Downlinks transmitted (or handed over, when compressed) that no device was listening for. */
    long unmatchedDownlinks();

    @Override
    void close();
}
