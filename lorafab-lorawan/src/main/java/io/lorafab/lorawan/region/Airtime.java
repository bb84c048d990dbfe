package io.lorafab.lorawan.region;

import io.lorafab.lorawan.LorawanFormatException;
import java.time.Duration;

/**
 * Time on air of a frame, pure arithmetic shared by the simulator (which keeps a virtual radio busy for it) and the
 * server (which plans a gateway's one transmitter with it). LoRa: the modem formula of the Semtech SX127x datasheet
 * §4.1.1.6 (AN1200.13) — 8 preamble symbols, explicit header, coding rate 4/5, low-data-rate optimisation when a
 * symbol lasts 16 ms or more. FSK: 5 preamble bytes, 3 sync-word bytes, a length byte and a 2-byte CRC around the
 * payload, at the data rate's bit rate.
 */
public final class Airtime {

    private static final int PREAMBLE_SYMBOLS = 8;
    private static final int CODING_RATE = 1; // 4/5
    /** FSK overhead around the payload: preamble (5), sync word (3), length (1), CRC (2). */
    private static final int FSK_OVERHEAD_BYTES = 11;

    private Airtime() {
    }

    /**
     * LoRa time on air of a PHYPayload of {@code payloadBytes} bytes at {@code sf} (5..12) and {@code bandwidthHz},
     * with the physical CRC ({@code crc}: uplinks) or without (LoRaWAN downlinks).
     */
    public static Duration lora(int payloadBytes, int sf, int bandwidthHz, boolean crc) {
        if (sf < 5 || sf > 12 || bandwidthHz <= 0 || payloadBytes < 0 || payloadBytes > 255) {
            throw new LorawanFormatException("airtime: SF 5..12, positive bandwidth and 0..255 bytes expected (SF" + sf
                    + ", " + bandwidthHz + " Hz, " + payloadBytes + " bytes)");
        }
        // symbol time in ns = 2^SF * 1e9 / BW; low-data-rate optimisation when it is 16 ms or more
        boolean ldro = (1L << sf) * 1_000_000_000L / bandwidthHz >= 16_000_000L;
        int de = ldro ? 1 : 0;
        int num = 8 * payloadBytes - 4 * sf + 28 + (crc ? 16 : 0); // explicit header
        int den = 4 * (sf - 2 * de);
        int payloadSymbols = 8 + Math.max(ceilDiv(num, den) * (CODING_RATE + 4), 0);
        // (preamble + 4.25 + payloadSymbols) symbols, in quarter symbols to stay exact
        long quarterSymbols = 4L * PREAMBLE_SYMBOLS + 17 + 4L * payloadSymbols;
        return Duration.ofNanos(quarterSymbols * (1L << sf) * 1_000_000_000L / (4L * bandwidthHz));
    }

    /** FSK time on air of {@code payloadBytes} at {@code bitRate} bit/s. */
    public static Duration fsk(int payloadBytes, int bitRate) {
        if (bitRate <= 0 || payloadBytes < 0 || payloadBytes > 255) {
            throw new LorawanFormatException("airtime: positive bit rate and 0..255 bytes expected (" + bitRate + " bit/s, "
                    + payloadBytes + " bytes)");
        }
        return Duration.ofNanos((payloadBytes + FSK_OVERHEAD_BYTES) * 8L * 1_000_000_000L / bitRate);
    }

    /** Time on air at a region's data rate ({@code crc}: the physical CRC, on for uplinks; FSK always has one). */
    public static Duration of(DataRate dr, int payloadBytes, boolean crc) {
        return switch (dr.modulation()) {
            case LORA -> lora(payloadBytes, dr.spreadingFactor(), dr.bandwidthHz(), crc);
            case FSK -> fsk(payloadBytes, dr.bitRate());
            case LR_FHSS -> throw new LorawanFormatException("airtime: LR-FHSS (" + dr + ") is not supported");
        };
    }

    private static int ceilDiv(int a, int b) {
        return a <= 0 ? 0 : (a + b - 1) / b;
    }
}
