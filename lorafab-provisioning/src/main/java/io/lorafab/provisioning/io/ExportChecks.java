package io.lorafab.provisioning.io;

import io.lorafab.lorawan.types.Eui64;
import io.lorafab.provisioning.model.DeviceIdentity;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The checks every exporter makes before writing, and strict UTF-8 output. */
final class ExportChecks {

    private ExportChecks() {
    }

    /**
     * Refuses an empty list, duplicate DevEUIs, a 1.0.x device carrying a NwkKey (only 1.1 devices have one,
     * and no format here could say which key a 1.0.x device really uses), and text that is not valid Unicode.
     */
    static void devices(String format, List<DeviceIdentity> devices) {
        Objects.requireNonNull(devices, "devices");
        if (devices.isEmpty()) {
            throw new ExportException(format + ": no devices to export");
        }
        Map<Eui64, Integer> seen = new HashMap<>();
        for (int i = 0; i < devices.size(); i++) {
            DeviceIdentity d = Objects.requireNonNull(devices.get(i), "device " + (i + 1));
            Integer first = seen.putIfAbsent(d.devEui(), i + 1);
            if (first != null) {
                throw new ExportException(format + ": DevEUI " + d.devEui() + " appears twice (devices " + first
                        + " and " + (i + 1) + ")");
            }
            if (!d.macVersion().is11() && d.nwkKey() != null) {
                throw new ExportException(format + ": device " + d.devEui() + " is LoRaWAN " + d.macVersion()
                        + " but has a NwkKey; only LoRaWAN 1.1 devices have one");
            }
            wellFormed(format, d, "name", d.name());
            wellFormed(format, d, "serial number", d.serialNumber());
                    }
    }

    /**
     * Refuses a device whose secure element holds its keys, for a format that cannot name its external join server
     * (and would read a missing key as a fault, or as an all-zero key).
     */
    static void keyed(String format, DeviceIdentity d, String instead) {
        if (d.keysHeldBySecureElement()) {
            throw new ExportException(format + ": device " + d.devEui() + " has its keys in its secure element and joins "
                    + "through " + d.secureElement().joinServer() + ", which this format cannot say; " + instead);
        }
    }

    /** Refuses key wrapping for a format that cannot carry wrapped keys, rather than writing keys in the clear. */
    static void noWrapping(String format, ExportOptions options) {
        options.wrapKek().ifPresent(k -> {
            throw new ExportException(format + " cannot carry wrapped keys (its importer reads root keys in the"
                    + " clear only); export without a KEK over a protected channel, or use tts-json or csv");
        });
    }

    /** Text that must not exceed a target system's limit. */
    static void maxLength(String format, DeviceIdentity d, String what, String value, int max) {
        if (value != null && value.codePointCount(0, value.length()) > max) {
            throw new ExportException(format + ": device " + d.devEui() + ": " + what + " has "
                    + value.codePointCount(0, value.length()) + " characters, at most " + max + " allowed");
        }
    }

    static byte[] utf8(String text) {
        try {
            ByteBuffer b = StandardCharsets.UTF_8.newEncoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).encode(CharBuffer.wrap(text));
            byte[] out = new byte[b.remaining()];
            b.get(out);
            return out;
        } catch (CharacterCodingException e) {
            throw new IllegalStateException("text checked as well-formed did not encode", e);
        }
    }

    private static void wellFormed(String format, DeviceIdentity d, String what, String value) {
        if (value == null) {
            return;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new ExportException(format + ": device " + d.devEui() + ": " + what
                        + " is not valid Unicode (unpaired surrogate at index " + i + ")");
            }
        }
    }
}
