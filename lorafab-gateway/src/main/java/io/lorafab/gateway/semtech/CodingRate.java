package io.lorafab.gateway.semtech;

import java.util.Optional;

/** The LoRa {@code codr} field; {@code OFF} is what a forwarder writes when the coding rate is undefined. */
public enum CodingRate {
    CR_4_5("4/5"),
    CR_4_6("4/6"),
    CR_4_7("4/7"),
    CR_4_8("4/8"),
    OFF("OFF");

    private final String wire;

    CodingRate(String wire) {
        this.wire = wire;
    }

    /** The JSON string, e.g. {@code "4/5"}. */
    public String wire() {
        return wire;
    }

    public static Optional<CodingRate> fromWire(String s) {
        for (CodingRate c : values()) {
            if (c.wire.equals(s)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
