package io.lorafab.gateway;

import io.lorafab.gateway.semtech.CodingRate;
import io.lorafab.gateway.semtech.CrcStatus;
import io.lorafab.gateway.semtech.DataRate;
import io.lorafab.gateway.semtech.Rxpk;
import io.lorafab.lorawan.types.Eui64;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Shared test values. */
final class Fixtures {
    static final Eui64 GW1 = Eui64.of(0xAA555A0000000001L);
    static final Eui64 GW2 = Eui64.of(0xAA555A0000000002L);
    static final Eui64 GW3 = Eui64.of(0xAA555A0000000003L);
    static final Instant T0 = Instant.parse("2024-05-01T12:00:00Z");
    /** A join-request-sized PHYPayload (MHDR 0x00 + 22 bytes). */
    static final byte[] JOIN_REQUEST = bytes(0x00, 23);
    static final byte[] OTHER_FRAME = bytes(0x40, 16);

    private Fixtures() {
    }

    static byte[] bytes(int first, int length) {
        byte[] b = new byte[length];
        b[0] = (byte) first;
        for (int i = 1; i < length; i++) {
            b[i] = (byte) (i * 7 + first);
        }
        return b;
    }

    /** A LoRa, CRC-OK rxpk. */
    static Rxpk rxpk(long tmst, long frequencyHz, int sf, int bwKhz, int rssi, double snr, byte[] data) {
        return new Rxpk(Optional.of(Instant.parse("2024-05-01T11:59:59.123456Z")), Optional.empty(), tmst,
                frequencyHz, 2, 1, CrcStatus.OK, DataRate.Lora.of(sf, bwKhz), Optional.of(CodingRate.CR_4_5), rssi,
                Optional.of(snr), data, List.of());
    }

    static Rxpk rxpk(int rssi, double snr, byte[] data) {
        return rxpk(1_000_000L, 868_100_000L, 7, 125, rssi, snr, data);
    }

    static RxInfo rx(Eui64 gw, int rssi, double snr) {
        return RxInfo.lora(gw, 1_000_000L, 868_100_000L, 7, 125_000, "4/5", rssi, snr, 0, 0, Optional.empty());
    }
}
