package io.lorafab.sim;

import io.lorafab.lorawan.frame.JoinRequest;
import io.lorafab.lorawan.region.DataRate;
import io.lorafab.lorawan.region.Modulation;
import java.time.Duration;

/**
 * LoRa time on air (Semtech SX127x datasheet §4.1.1.6 / AN1200.13) for LoRaWAN uplinks: 8 preamble symbols,
 * explicit header, CRC on, coding rate 4/5, low-data-rate optimisation when a symbol lasts 16 ms or more.
 */
public final class LoraAirtime {

    private static final int PREAMBLE_SYMBOLS = 8;
    private static final int CODING_RATE = 1; // 4/5

    private LoraAirtime() {
    }

    /** Time on air of a PHYPayload of {@code payloadBytes} bytes at {@code sf} (7..12) and {@code bandwidthHz}. */
    public static Duration timeOnAir(int payloadBytes, int sf, int bandwidthHz) {
        if (sf < 5 || sf > 12 || bandwidthHz <= 0 || payloadBytes < 0 || payloadBytes > 255) {
            throw new SimException("airtime: SF 5..12, positive bandwidth and 0..255 bytes expected (SF" + sf
                    + ", " + bandwidthHz + " Hz, " + payloadBytes + " bytes)");
        }
        // symbol time in ns = 2^SF * 1e9 / BW; low-data-rate optimisation when it is 16 ms or more
        boolean ldro = (1L << sf) * 1_000_000_000L / bandwidthHz >= 16_000_000L;
        int de = ldro ? 1 : 0;
        int num = 8 * payloadBytes - 4 * sf + 28 + 16; // CRC on, explicit header
        int den = 4 * (sf - 2 * de);
        int payloadSymbols = 8 + Math.max(ceilDiv(num, den) * (CODING_RATE + 4), 0);
        // (preamble + 4.25 + payloadSymbols) symbols, in quarter symbols to stay exact
        long quarterSymbols = 4L * PREAMBLE_SYMBOLS + 17 + 4L * payloadSymbols;
        return Duration.ofNanos(quarterSymbols * (1L << sf) * 1_000_000_000L / (4L * bandwidthHz));
    }

    /** Time on air of a join-request (23 bytes) at a LoRa data rate. */
    public static Duration joinRequest(DataRate dr) {
        if (dr.modulation() != Modulation.LORA) {
            throw new SimException("airtime: only LoRa data rates are supported, not " + dr);
        }
        return timeOnAir(JoinRequest.SIZE, dr.spreadingFactor(), dr.bandwidthHz());
    }

    private static int ceilDiv(int a, int b) {
        return a <= 0 ? 0 : (a + b - 1) / b;
    }
}
