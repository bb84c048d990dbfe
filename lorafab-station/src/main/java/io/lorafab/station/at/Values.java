package io.lorafab.station.at;

import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.Eui64;

/** Parses EUIs and keys out of response values; errors name the field, never the value. */
final class Values {

    private Values() {
    }

    static Eui64 eui(String field, String text) {
        byte[] b = AtSession.parseHex(field, text);
        if (b.length != Eui64.SIZE) {
            throw new AtException(AtException.Code.UNEXPECTED_RESPONSE, field + " is not 8 bytes");
        }
        return Eui64.fromBytes(b);
    }

    static AesKey key(String field, String text) {
        byte[] b = AtSession.parseHex(field, text);
        if (b.length != AesKey.SIZE) {
            throw new AtException(AtException.Code.UNEXPECTED_RESPONSE, field + " is not 16 bytes");
        }
        return AesKey.of(b);
    }

    /** Strips an echoed {@code AT+CMD=} prefix (RUI3 prints {@code AT+DEVEUI=<value>}). */
    static String afterEcho(String prefix, String line) {
        return line.startsWith(prefix) ? line.substring(prefix.length()) : line;
    }
}
