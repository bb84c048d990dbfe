package io.lorafab.station.at;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * A downlink the module reports it received: its FPort and payload, and where the dialect reports them the receive
 * window ({@code RX1}, {@code RX2}, ...) and the signal the module measured (RSSI dBm, SNR dB). {@code event} is the
 * report line as the module wrote it, for the test record (a downlink payload is no secret).
 */
public record ReceivedDownlink(int port, byte[] payload, Optional<String> window, OptionalInt rssiDbm, OptionalDouble snrDb,
        String event) {

    public ReceivedDownlink {
        payload = payload.clone();
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    /** The payload as lower-case hex, as the server records it. */
    public String payloadHex() {
        return HexFormat.of().formatHex(payload);
    }

    /** This report with the window and signal of a separate line (LoRa-E5, STM32WL) added. */
    ReceivedDownlink withSignal(Optional<String> w, OptionalInt rssi, OptionalDouble snr, String line) {
        return new ReceivedDownlink(port, payload, w, rssi, snr, event + " | " + line);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReceivedDownlink r && port == r.port && Arrays.equals(payload, r.payload) && window.equals(r.window)
                && rssiDbm.equals(r.rssiDbm) && snrDb.equals(r.snrDb) && event.equals(r.event);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(payload) * 31 + port;
    }

    @Override
    public String toString() {
        return "ReceivedDownlink[port=" + port + ", payload=" + payloadHex() + ", window=" + window.orElse("?") + ", rssi="
                + rssiDbm + ", snr=" + snrDb + "]";
    }
}
