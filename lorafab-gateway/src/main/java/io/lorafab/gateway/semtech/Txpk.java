package io.lorafab.gateway.semtech;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * The packet to transmit carried by a PULL_RESP ({@code {"txpk":{...}}}).
 *
 * <p>Timing: {@code immediate}, else {@code tmst}, else {@code tmms} (the forwarder's order of precedence); at
 * least one must be given. LoRa needs a coding rate and FSK a frequency deviation, as the reference forwarder
 * refuses packets without them.
 *
 * @param immediate      {@code imme}: send at once, ignoring tmst/tmms
 * @param tmst           {@code tmst}: concentrator counter (µs) at which to send, a uint32
 * @param tmms           {@code tmms}: GPS time (ms since 1980-01-06) at which to send
 * @param frequencyHz    {@code freq}: centre frequency in Hz (written in MHz with up to 6 decimals)
 * @param rfch           {@code rfch}: RF chain to send on
 * @param power          {@code powe}: output power in dBm; forwarder default when absent
 * @param dataRate       {@code modu} + {@code datr}
 * @param codingRate     {@code codr}: required for LoRa
 * @param fdev           {@code fdev}: FSK frequency deviation in Hz, required for FSK
 * @param invertPolarity {@code ipol}: LoRa IQ inversion (absent on the wire means false; written for LoRa)
 * @param preamble       {@code prea}: preamble length in symbols, if not the default
 * @param data           {@code data}: the PHY payload ({@code size} is its length)
 * @param noCrc          {@code ncrc}: disable the physical-layer CRC (written only when true)
 */
public record Txpk(boolean immediate, Optional<Long> tmst, Optional<Long> tmms, long frequencyHz, int rfch,
        Optional<Integer> power, DataRate dataRate, Optional<CodingRate> codingRate, Optional<Integer> fdev,
        boolean invertPolarity, Optional<Integer> preamble, byte[] data, boolean noCrc) {

    public Txpk {
        Limits.checkOptRange("tmst", tmst, 0, Limits.UINT32_MAX);
        Limits.checkOptRange("tmms", tmms, 0, Long.MAX_VALUE);
        if (!immediate && tmst.isEmpty() && tmms.isEmpty()) {
            throw new IllegalArgumentException("txpk needs imme=true, a tmst or a tmms");
        }
        Limits.checkRange("frequencyHz", frequencyHz, Limits.MIN_FREQUENCY_HZ, Limits.MAX_FREQUENCY_HZ);
        Limits.checkRange("rfch", rfch, 0, Limits.MAX_CHAIN);
        Limits.checkOptRange("power", power, -128, 127);
        Objects.requireNonNull(dataRate, "dataRate");
        Limits.present(codingRate, "codingRate");
        Limits.checkOptRange("fdev", fdev, 0, 1_000_000);
        if (dataRate.modulation() == Modulation.LORA && codingRate.isEmpty()) {
            throw new IllegalArgumentException("a LoRa txpk needs a coding rate");
        }
        if (dataRate.modulation() == Modulation.FSK && fdev.isEmpty()) {
            throw new IllegalArgumentException("an FSK txpk needs a frequency deviation");
        }
        Limits.checkOptRange("preamble", preamble, 0, 65_535);
        Objects.requireNonNull(data, "data");
        Limits.checkRange("data length", data.length, 0, Limits.MAX_PAYLOAD);
        data = data.clone();
    }

    /** A LoRa downlink at a concentrator timestamp, RF chain 0, inverted polarity (the LoRaWAN downlink rule). */
    public static Txpk loraAt(long tmst, long frequencyHz, int power, DataRate.Lora dataRate, CodingRate codingRate,
            byte[] data) {
        return new Txpk(false, Optional.of(tmst), Optional.empty(), frequencyHz, 0, Optional.of(power), dataRate,
                Optional.of(codingRate), Optional.empty(), true, Optional.empty(), data, false);
    }

    /** A LoRa downlink sent immediately, RF chain 0, inverted polarity. */
    public static Txpk loraImmediate(long frequencyHz, int power, DataRate.Lora dataRate, CodingRate codingRate,
            byte[] data) {
        return new Txpk(true, Optional.empty(), Optional.empty(), frequencyHz, 0, Optional.of(power), dataRate,
                Optional.of(codingRate), Optional.empty(), true, Optional.empty(), data, false);
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

    @Override
    public boolean equals(Object o) {
        return o instanceof Txpk t && immediate == t.immediate && frequencyHz == t.frequencyHz && rfch == t.rfch
                && invertPolarity == t.invertPolarity && noCrc == t.noCrc && tmst.equals(t.tmst)
                && tmms.equals(t.tmms) && power.equals(t.power) && dataRate.equals(t.dataRate)
                && codingRate.equals(t.codingRate) && fdev.equals(t.fdev) && preamble.equals(t.preamble)
                && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(immediate, tmst, tmms, frequencyHz, rfch, power, dataRate, codingRate, fdev,
                invertPolarity, preamble, Arrays.hashCode(data), noCrc);
    }

    @Override
    public String toString() {
        return "Txpk[immediate=" + immediate + ", tmst=" + tmst + ", tmms=" + tmms + ", frequencyHz=" + frequencyHz
                + ", rfch=" + rfch + ", power=" + power + ", dataRate=" + dataRate + ", codingRate=" + codingRate
                + ", fdev=" + fdev + ", invertPolarity=" + invertPolarity + ", preamble=" + preamble + ", data="
                + Limits.hex(data) + ", noCrc=" + noCrc + "]";
    }
}
