package io.lorafab.gateway.semtech;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One received packet of a PUSH_DATA {@code rxpk} array.
 *
 * <p>When the JSON has no top-level {@code rssi} / {@code lsnr} / {@code chan} (multi-antenna forwarders put
 * them only in {@code rsig}), the decoder takes them from the best antenna ({@link Rsig#best}); when the JSON
 * has them, they win. The constructor applies the same rule to an empty {@code lsnr}, so a value decodes back
 * to itself. Encoding always writes the top-level values, followed by {@code rsig} when it is not empty.
 *
 * @param time         {@code time}: UTC time of reception, if known (truncated to microseconds, the wire precision)
 * @param tmms         {@code tmms}: GPS time of reception in ms since 1980-01-06, if known
 * @param tmst         {@code tmst}: concentrator counter (µs) at the end of reception, a uint32
 * @param frequencyHz  {@code freq}: centre frequency in Hz (the wire carries MHz with decimals)
 * @param chan         {@code chan}: concentrator IF channel
 * @param rfch         {@code rfch}: concentrator RF chain
 * @param crcStatus    {@code stat}: CRC status
 * @param dataRate     {@code modu} + {@code datr}
 * @param codingRate   {@code codr}: LoRa coding rate, if sent
 * @param rssi         {@code rssi}: RSSI in dBm (from the best antenna if absent at top level)
 * @param lsnr         {@code lsnr}: LoRa SNR in dB (from the best antenna if absent at top level)
 * @param data         {@code data}: the PHY payload (its length is {@code size})
 * @param rsig         {@code rsig}: per-antenna reception details, empty for single-antenna forwarders
 */
public record Rxpk(Optional<Instant> time, Optional<Long> tmms, long tmst, long frequencyHz, int chan, int rfch,
        CrcStatus crcStatus, DataRate dataRate, Optional<CodingRate> codingRate, int rssi, Optional<Double> lsnr,
        byte[] data, List<Rsig> rsig) {

    public Rxpk {
        time = Limits.present(time, "time").map(t -> t.truncatedTo(ChronoUnit.MICROS));
        Limits.checkOptRange("tmms", tmms, 0, Long.MAX_VALUE);
        Limits.checkRange("tmst", tmst, 0, Limits.UINT32_MAX);
        Limits.checkRange("frequencyHz", frequencyHz, Limits.MIN_FREQUENCY_HZ, Limits.MAX_FREQUENCY_HZ);
        Limits.checkRange("chan", chan, 0, Limits.MAX_CHAIN);
        Limits.checkRange("rfch", rfch, 0, Limits.MAX_CHAIN);
        Objects.requireNonNull(crcStatus, "crcStatus");
        Objects.requireNonNull(dataRate, "dataRate");
        Limits.present(codingRate, "codingRate");
        Limits.checkRange("rssi", rssi, Limits.MIN_RSSI, Limits.MAX_RSSI);
        Limits.checkOptRange("lsnr", lsnr, Limits.MIN_SNR, Limits.MAX_SNR);
        lsnr = Limits.normZero(lsnr);
        Objects.requireNonNull(data, "data");
        Limits.checkRange("data length", data.length, 0, Limits.MAX_PAYLOAD);
        data = data.clone();
        rsig = List.copyOf(Objects.requireNonNull(rsig, "rsig"));
        if (lsnr.isEmpty()) {
            lsnr = Rsig.best(rsig).flatMap(Rsig::lsnr);
        }
    }

    /** A copy of the payload. */
    @Override
    public byte[] data() {
        return data.clone();
    }

    /** The {@code size} field: the payload length. */
    public int size() {
        return data.length;
    }

    public Modulation modulation() {
        return dataRate.modulation();
    }

    public boolean crcOk() {
        return crcStatus == CrcStatus.OK;
    }

    /** The best antenna of {@link #rsig()}, empty for single-antenna forwarders. */
    public Optional<Rsig> bestAntenna() {
        return Rsig.best(rsig);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Rxpk r && tmst == r.tmst && frequencyHz == r.frequencyHz && chan == r.chan
                && rfch == r.rfch && rssi == r.rssi && time.equals(r.time) && tmms.equals(r.tmms)
                && crcStatus == r.crcStatus && dataRate.equals(r.dataRate) && codingRate.equals(r.codingRate)
                && lsnr.equals(r.lsnr) && Arrays.equals(data, r.data) && rsig.equals(r.rsig);
    }

    @Override
    public int hashCode() {
        return Objects.hash(time, tmms, tmst, frequencyHz, chan, rfch, crcStatus, dataRate, codingRate, rssi, lsnr,
                Arrays.hashCode(data), rsig);
    }

    @Override
    public String toString() {
        return "Rxpk[time=" + time + ", tmms=" + tmms + ", tmst=" + tmst + ", frequencyHz=" + frequencyHz
                + ", chan=" + chan + ", rfch=" + rfch + ", crcStatus=" + crcStatus + ", dataRate=" + dataRate
                + ", codingRate=" + codingRate + ", rssi=" + rssi + ", lsnr=" + lsnr + ", data="
                + Limits.hex(data) + ", rsig=" + rsig + "]";
    }
}
