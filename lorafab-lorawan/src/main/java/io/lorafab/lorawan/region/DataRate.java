package io.lorafab.lorawan.region;

import io.lorafab.lorawan.LorawanFormatException;
import java.util.Objects;

/**
 * One row of a region's data-rate table.
 *
 * <ul>
 *   <li>LoRa: {@code spreadingFactor} 7..12, {@code bandwidthHz} 125000/250000/500000.</li>
 *   <li>FSK: {@code spreadingFactor} and {@code bandwidthHz} are 0.</li>
 *   <li>LR-FHSS: {@code spreadingFactor} is 0, {@code bandwidthHz} is the operating channel width as the
 *       regional parameters name it (137000, 336000 or 1523000 Hz), and the coding rate is told apart by
 *       {@code bitRate} (162 bit/s for CR 1/3, 325 bit/s for CR 2/3).</li>
 * </ul>
 *
 * {@code bitRate} is the indicative physical bit rate of the regional parameters' table, in bit/s.
 */
public record DataRate(int index, Modulation modulation, int spreadingFactor, int bandwidthHz, int bitRate) {

    public DataRate {
        Objects.requireNonNull(modulation, "modulation");
        if (index < 0 || index > 15) {
            throw new LorawanFormatException("data rate index out of range 0..15: " + index);
        }
        if (bitRate <= 0) {
            throw new LorawanFormatException("DR" + index + ": bit rate must be positive, got " + bitRate);
        }
        switch (modulation) {
            case LORA -> {
                if (spreadingFactor < 5 || spreadingFactor > 12 || bandwidthHz <= 0) {
                    throw new LorawanFormatException("DR" + index + ": bad LoRa parameters SF" + spreadingFactor
                            + " BW " + bandwidthHz + " Hz");
                }
            }
            case FSK -> {
                if (spreadingFactor != 0 || bandwidthHz != 0) {
                    throw new LorawanFormatException("DR" + index + ": FSK has no spreading factor or bandwidth");
                }
            }
            case LR_FHSS -> {
                if (spreadingFactor != 0 || bandwidthHz <= 0) {
                    throw new LorawanFormatException("DR" + index + ": LR-FHSS needs an operating channel width");
                }
            }
        }
    }

    static DataRate lora(int index, int spreadingFactor, int bandwidthHz, int bitRate) {
        return new DataRate(index, Modulation.LORA, spreadingFactor, bandwidthHz, bitRate);
    }

    static DataRate fsk(int index, int bitRate) {
        return new DataRate(index, Modulation.FSK, 0, 0, bitRate);
    }

    static DataRate lrFhss(int index, int operatingChannelWidthHz, int bitRate) {
        return new DataRate(index, Modulation.LR_FHSS, 0, operatingChannelWidthHz, bitRate);
    }

    /**
     * The data rate as the Semtech UDP packet forwarder writes it in {@code rxpk}/{@code txpk} "datr":
     * "SF7BW125" for LoRa, the bit rate in decimal ("50000") for FSK, "M0CW137" (modulation type 0, operating
     * channel width in kHz) for LR-FHSS. Note that the forwarder sends the FSK value as a JSON number.
     */
    public String datr() {
        return switch (modulation) {
            case LORA -> "SF" + spreadingFactor + "BW" + (bandwidthHz / 1000);
            case FSK -> Integer.toString(bitRate);
            case LR_FHSS -> "M0CW" + (bandwidthHz / 1000);
        };
    }

    /** True for a LoRa data rate with this spreading factor and bandwidth. */
    public boolean isLora(int spreadingFactor, int bandwidthHz) {
        return modulation == Modulation.LORA && this.spreadingFactor == spreadingFactor
                && this.bandwidthHz == bandwidthHz;
    }

    @Override
    public String toString() {
        return "DR" + index + "(" + datr() + ")";
    }
}
