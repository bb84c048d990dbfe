package io.lorafab.gateway.semtech;

/** The {@code modu} field. */
public enum Modulation {
    LORA("LORA"),
    FSK("FSK");

    private final String wire;

    Modulation(String wire) {
        this.wire = wire;
    }

    /** The JSON string. */
    public String wire() {
        return wire;
    }
}
