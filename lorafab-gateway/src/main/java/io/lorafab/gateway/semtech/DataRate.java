package io.lorafab.gateway.semtech;

/**
 * The {@code datr} field: a string such as {@code "SF7BW125"} for LoRa, a number (bits per second) for FSK.
 * The variant fixes the {@code modu} field, so packets do not carry the modulation separately.
 */
public sealed interface DataRate permits DataRate.Lora, DataRate.Fsk {

    Modulation modulation();

    /**
     * LoRa: spreading factor 5..12 and a bandwidth of 125, 250 or 500 kHz (the SX1301/SX1302 forwarder
     * vocabulary).
     */
    record Lora(int spreadingFactor, int bandwidthHz) implements DataRate {

        public static final int MIN_SF = 5;
        public static final int MAX_SF = 12;

        public Lora {
            if (spreadingFactor < MIN_SF || spreadingFactor > MAX_SF) {
                throw new IllegalArgumentException("spreading factor must be 5..12, got " + spreadingFactor);
            }
            if (!isSupportedBandwidth(bandwidthHz)) {
                throw new IllegalArgumentException("bandwidth must be 125, 250 or 500 kHz, got " + bandwidthHz + " Hz");
            }
        }

        public static Lora of(int spreadingFactor, int bandwidthKhz) {
            return new Lora(spreadingFactor, bandwidthKhz * 1000);
        }

        public static boolean isSupportedBandwidth(int hz) {
            return hz == 125_000 || hz == 250_000 || hz == 500_000;
        }

        @Override
        public Modulation modulation() {
            return Modulation.LORA;
        }

        /** The JSON string, e.g. {@code "SF7BW125"}. */
        public String datr() {
            return "SF" + spreadingFactor + "BW" + bandwidthHz / 1000;
        }

        @Override
        public String toString() {
            return datr();
        }
    }

    /** FSK at {@code bitRate} bits per second (1..1,000,000). */
    record Fsk(long bitRate) implements DataRate {

        public static final long MAX_BIT_RATE = 1_000_000L;

        public Fsk {
            if (bitRate < 1 || bitRate > MAX_BIT_RATE) {
                throw new IllegalArgumentException("FSK bit rate must be 1..1000000, got " + bitRate);
            }
        }

        @Override
        public Modulation modulation() {
            return Modulation.FSK;
        }

        @Override
        public String toString() {
            return "FSK" + bitRate;
        }
    }
}
