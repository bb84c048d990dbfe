package io.lorafab.lorawan.types;

import io.lorafab.lorawan.LorawanFormatException;
import java.util.Locale;

/** LoRaWAN MAC (link layer) versions, which decide nonce rules, MIC formats and key derivation. */
public enum MacVersion {
    V1_0_0("1.0.0"),
    V1_0_1("1.0.1"),
    V1_0_2("1.0.2"),
    V1_0_3("1.0.3"),
    V1_0_4("1.0.4"),
    V1_1("1.1");

    private static final MacVersion[] VALUES = values();

    private final String text;

    MacVersion(String text) {
        this.text = text;
    }

    /** Accepts "1.0.2", "1.0.2b", "1.1", "1.1.0", "MAC_V1_0_2", "LORAWAN_1_0_2", "1.0" (= 1.0.0). */
    public static MacVersion parse(String s) {
        if (s == null) {
            throw new LorawanFormatException("MAC version: missing value");
        }
        // the stored and wire form first: every unit and product row read names its version this way
        for (MacVersion v : VALUES) {
            if (v.text.equals(s)) {
                return v;
            }
        }
        String n = s.strip().toUpperCase(Locale.ROOT)
                .replace("MAC_V", "").replace("LORAWAN_", "").replace("LORAWAN", "").replace('_', '.')
                .replaceFirst("^V", "");
        if (n.endsWith("A") || n.endsWith("B")) {
            n = n.substring(0, n.length() - 1);
        }
        switch (n) {
            case "1.0": case "1.0.0": return V1_0_0;
            case "1.0.1": return V1_0_1;
            case "1.0.2": return V1_0_2;
            case "1.0.3": return V1_0_3;
            case "1.0.4": return V1_0_4;
            case "1.1": case "1.1.0": return V1_1;
            default:
                throw new LorawanFormatException("MAC version: unknown '" + s.strip()
                        + "' (expected 1.0.0, 1.0.1, 1.0.2, 1.0.3, 1.0.4 or 1.1)");
        }
    }

    /** LoRaWAN 1.1: separate NwkKey/AppKey, four session keys, the 1.1 join-accept MIC when OptNeg is set. */
    public boolean is11() {
        return this == V1_1;
    }

    /** 1.0.4 and 1.1 devices send DevNonce as a counter that must strictly increase; older ones send random values. */
    public boolean devNonceIsCounter() {
        return this == V1_0_4 || this == V1_1;
    }

    public String text() {
        return text;
    }

    @Override
    public String toString() {
        return text;
    }
}
