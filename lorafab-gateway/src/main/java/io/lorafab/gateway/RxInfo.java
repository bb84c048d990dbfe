package io.lorafab.gateway;

import io.lorafab.gateway.semtech.CodingRate;
import io.lorafab.gateway.semtech.DataRate;
import io.lorafab.gateway.semtech.Rxpk;
import io.lorafab.lorawan.types.Eui64;
import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;

/**
 * One gateway's reception of a LoRa frame: what a downlink planner needs (timestamp, frequency, data rate) and
 * what ranks receptions (SNR, RSSI).
 *
 * @param gatewayEui      the gateway that heard the frame
 * @param tmst            concentrator counter (µs, uint32) at the end of reception: the base of downlink timing
 * @param frequencyHz     uplink centre frequency in Hz
 * @param spreadingFactor LoRa spreading factor, 5..12
 * @param bandwidthHz     LoRa bandwidth in Hz
 * @param datr            the forwarder data rate string, e.g. {@code "SF7BW125"} (always consistent with SF/BW)
 * @param codingRate      e.g. {@code "4/5"}; {@code "OFF"} when the forwarder did not report one
 * @param rssi            RSSI in dBm
 * @param snr             SNR in dB; {@code NaN} when the forwarder did not report one (ranks last)
 * @param channel         concentrator IF channel
 * @param rfChain         concentrator RF chain
 * @param gatewayTime     the gateway's UTC time of reception, if it has one (GPS or NTP)
 */
public record RxInfo(Eui64 gatewayEui, long tmst, long frequencyHz, int spreadingFactor, int bandwidthHz, String datr,
        String codingRate, int rssi, double snr, int channel, int rfChain, Optional<Instant> gatewayTime) {

    /**
     * Best first: higher SNR (an unknown SNR ranks below any known one), then higher RSSI, then the lower
     * gateway EUI so that the order is total and stable.
     */
    public static final Comparator<RxInfo> BEST_FIRST = RxInfo::compareBestFirst;

    public RxInfo {
        Objects.requireNonNull(gatewayEui, "gatewayEui");
        if (tmst < 0 || tmst > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("tmst must be a uint32, got " + tmst);
        }
        if (frequencyHz <= 0) {
            throw new IllegalArgumentException("frequencyHz must be positive, got " + frequencyHz);
        }
        // Validates SF and bandwidth the way the forwarder vocabulary does.
        String expected = new DataRate.Lora(spreadingFactor, bandwidthHz).datr();
        if (!expected.equals(Objects.requireNonNull(datr, "datr"))) {
            throw new IllegalArgumentException("datr " + datr + " does not match SF" + spreadingFactor + " BW "
                    + bandwidthHz + " Hz (" + expected + ")");
        }
        Objects.requireNonNull(codingRate, "codingRate");
        Objects.requireNonNull(gatewayTime, "gatewayTime");
        if (Double.isInfinite(snr)) {
            throw new IllegalArgumentException("snr must be finite or NaN, got " + snr);
        }
        if (channel < 0 || rfChain < 0) {
            throw new IllegalArgumentException("channel and rfChain must not be negative");
        }
    }

    /** A LoRa reception, with the data rate string derived from SF and bandwidth. */
    public static RxInfo lora(Eui64 gatewayEui, long tmst, long frequencyHz, int spreadingFactor, int bandwidthHz,
            String codingRate, int rssi, double snr, int channel, int rfChain, Optional<Instant> gatewayTime) {
        return new RxInfo(gatewayEui, tmst, frequencyHz, spreadingFactor, bandwidthHz,
                new DataRate.Lora(spreadingFactor, bandwidthHz).datr(), codingRate, rssi, snr, channel, rfChain,
                gatewayTime);
    }

    /** Whether {@link #fromRxpk} accepts this rxpk (LoRa only; FSK receptions are not supported). */
    public static boolean supports(Rxpk rxpk) {
        return rxpk.dataRate() instanceof DataRate.Lora;
    }

    /**
     * The reception described by {@code rxpk}, heard by {@code gatewayEui}. The CRC status is not looked at:
     * callers pass only CRC-OK packets.
     *
     * @throws IllegalArgumentException for an FSK rxpk (see {@link #supports})
     */
    public static RxInfo fromRxpk(Eui64 gatewayEui, Rxpk rxpk) {
        if (!(rxpk.dataRate() instanceof DataRate.Lora lora)) {
            throw new IllegalArgumentException("only LoRa receptions are supported, got " + rxpk.dataRate());
        }
        return new RxInfo(gatewayEui, rxpk.tmst(), rxpk.frequencyHz(), lora.spreadingFactor(), lora.bandwidthHz(),
                lora.datr(), rxpk.codingRate().map(CodingRate::wire).orElse(CodingRate.OFF.wire()), rxpk.rssi(),
                rxpk.lsnr().orElse(Double.NaN), rxpk.chan(), rxpk.rfch(), rxpk.time());
    }

    /** Whether the gateway reported an SNR. */
    public boolean hasSnr() {
        return !Double.isNaN(snr);
    }

    private static int compareBestFirst(RxInfo a, RxInfo b) {
        if (a.hasSnr() != b.hasSnr()) {
            return a.hasSnr() ? -1 : 1;
        }
        if (a.hasSnr()) {
            int c = Double.compare(b.snr, a.snr);
            if (c != 0) {
                return c;
            }
        }
        int c = Integer.compare(b.rssi, a.rssi);
        return c != 0 ? c : a.gatewayEui.compareTo(b.gatewayEui);
    }
}
