package io.lorafab.gateway;

import io.lorafab.gateway.semtech.CodingRate;
import io.lorafab.gateway.semtech.SemtechCodec;
import io.lorafab.gateway.semtech.Txpk;
import io.lorafab.lorawan.LorawanFormatException;
import io.lorafab.lorawan.region.DataRate;
import io.lorafab.lorawan.region.Region;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Plans class-A downlinks as {@link Txpk}s, from the reception they answer. Pure: no I/O, no clock.
 *
 * <p>Every downlink is timed on the concentrator counter of the reception ({@code tmst} + delay, modulo
 * 2^32), sent on RF chain 0 at the region's downlink power for its frequency, with coding rate 4/5. LoRa
 * downlinks use inverted polarity and no physical CRC (LoRaWAN: downlinks carry no PHY CRC); an FSK downlink
 * (e.g. EU868 DR7 as RX2 data rate) uses a frequency deviation of half its bit rate and keeps its CRC.
 *
 * <p>Any invalid input (a reception whose SF/BW is no uplink data rate of the region, an RX1DROffset out of
 * range, a frequency that is not a channel, an LR-FHSS data rate, a payload too long for a txpk) raises
 * {@link LorawanFormatException}.
 */
public final class DownlinkPlanner {

    /** The coding rate of every LoRaWAN downlink. */
    public static final CodingRate CODING_RATE = CodingRate.CR_4_5;

    private DownlinkPlanner() {
    }

    /** Join-accept in RX1: JOIN_ACCEPT_DELAY1 (5 s) after the join-request, uplink frequency/data rate rules. */
    public static Txpk joinAcceptRx1(Region region, RxInfo rx, byte[] payload, int rx1DrOffset) {
        return rx1(region, rx, payload, region.joinAcceptDelay1(), rx1DrOffset);
    }

    /** Join-accept in RX2: JOIN_ACCEPT_DELAY2 (6 s) after the join-request, the region's default RX2 channel. */
    public static Txpk joinAcceptRx2(Region region, RxInfo rx, byte[] payload) {
        return rx2(region, rx, payload, region.joinAcceptDelay2(), region.rx2DataRate(), region.rx2FrequencyHz());
    }

    /** Data downlink in RX1 at RECEIVE_DELAY1 (1 s). */
    public static Txpk dataDownRx1(Region region, RxInfo rx, byte[] payload, int rx1DrOffset) {
        return rx1(region, rx, payload, region.receiveDelay1(), rx1DrOffset);
    }

    /** Data downlink in RX2 at RECEIVE_DELAY2 (2 s) on the region's default RX2 channel. */
    public static Txpk dataDownRx2(Region region, RxInfo rx, byte[] payload) {
        return rx2(region, rx, payload, region.receiveDelay2(), region.rx2DataRate(), region.rx2FrequencyHz());
    }

    /**
     * Data downlink in RX2 at RECEIVE_DELAY2 (2 s) with the device's RX2 settings (as set by the join-accept's
     * DLSettings or RXParamSetupReq).
     */
    public static Txpk dataDownRx2(Region region, RxInfo rx, byte[] payload, int rx2DataRate, long rx2FrequencyHz) {
        return rx2(region, rx, payload, region.receiveDelay2(), rx2DataRate, rx2FrequencyHz);
    }

    /**
     * RX1 after {@code delay} (e.g. the device's RxDelay): the frequency and data rate the region derives from
     * the uplink's.
     */
    public static Txpk rx1(Region region, RxInfo rx, byte[] payload, Duration delay, int rx1DrOffset) {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(rx, "rx");
        int uplinkDr = region.uplinkDataRate(rx.spreadingFactor(), rx.bandwidthHz());
        int dr = region.rx1DataRate(uplinkDr, rx1DrOffset);
        long frequencyHz = region.rx1FrequencyHz(rx.frequencyHz());
        return at(region, tmstAfter(rx, delay), frequencyHz, dr, payload);
    }

    /** RX2 after {@code delay} on {@code frequencyHz} at data rate {@code dr}. */
    public static Txpk rx2(Region region, RxInfo rx, byte[] payload, Duration delay, int dr, long frequencyHz) {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(rx, "rx");
        return at(region, tmstAfter(rx, delay), frequencyHz, dr, payload);
    }

    /** The concentrator counter {@code delay} after the reception, modulo 2^32. */
    public static long tmstAfter(RxInfo rx, Duration delay) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative() || delay.compareTo(Duration.ofSeconds(60)) > 0) {
            throw new LorawanFormatException("downlink delay must be 0..60 s, got " + delay);
        }
        return SemtechCodec.tmstPlus(rx.tmst(), delay.toNanos() / 1_000);
    }

    private static Txpk at(Region region, long tmst, long frequencyHz, int dr, byte[] payload) {
        Objects.requireNonNull(payload, "payload");
        DataRate rate = region.dataRate(dr);
        int power = region.downlinkTxPowerDbm(frequencyHz);
        try {
            return switch (rate.modulation()) {
                case LORA -> new Txpk(false, Optional.of(tmst), Optional.empty(), frequencyHz, 0, Optional.of(power),
                        new io.lorafab.gateway.semtech.DataRate.Lora(rate.spreadingFactor(), rate.bandwidthHz()),
                        Optional.of(CODING_RATE), Optional.empty(), true, Optional.empty(), payload, true);
                case FSK -> new Txpk(false, Optional.of(tmst), Optional.empty(), frequencyHz, 0, Optional.of(power),
                        new io.lorafab.gateway.semtech.DataRate.Fsk(rate.bitRate()), Optional.empty(),
                        Optional.of(rate.bitRate() / 2), false, Optional.empty(), payload, false);
                case LR_FHSS -> throw new LorawanFormatException(region.name() + ": " + rate
                        + " is LR-FHSS, which has no downlink");
            };
        } catch (IllegalArgumentException e) {
            throw new LorawanFormatException(region.name() + ": cannot build a downlink at " + frequencyHz + " Hz "
                    + rate + ": " + e.getMessage(), e);
        }
    }
}
