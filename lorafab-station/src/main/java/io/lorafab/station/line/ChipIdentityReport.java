package io.lorafab.station.line;

import io.lorafab.lorawan.types.Eui64;
import java.util.Locale;

/**
 * The identity an LR11xx-style part was pre-provisioned with, as its board reports it at end of line: the chip's
 * globally unique ChipEUI (the DevEUI in Semtech's standard use-case), the Semtech JoinEUI (optional: not every fixture
 * reads it) and the device PIN (4 bytes; ReadDevicePin on an LR1110, DeriveRootKeysAndGetPin on an LR1121) that proves
 * ownership when the device is claimed on the vendor's join service. The PIN is a claim credential: it goes to the
 * server in a request body and nowhere else, and {@link #toString()} hides it.
 *
 * <p>{@link #parse} reads the report as a chip-identity command prints it, one {@code Key: value} line each:
 * <pre>
 * ChipEUI: 0016C001F0000001
 * JoinEUI: 0016C001FFFE0001
 * PIN: 1A2B3C4D
 * </pre>
 * Keys in any case, hex in either case, blanks around the value ignored. Other lines (a tool's banner, progress) are
 * ignored, so that a vendor tool's own output can be used as it is; but a known key whose value is malformed, or a key
 * given twice, makes the whole report malformed — a half-read PIN must never be recorded as a claim credential.
 */
public record ChipIdentityReport(Eui64 chipEui, Eui64 joinEui, String pin) {

    /** A report that cannot be recorded. Its message is one line and never holds the PIN. */
    public static final class MalformedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public MalformedException(String message) {
            super(message);
        }
    }

    public ChipIdentityReport {
        if (chipEui == null) {
            throw new MalformedException("no ChipEUI");
        }
        if (pin == null || !pin.matches("[0-9A-Fa-f]{8}")) {
            throw new MalformedException("the PIN is not 8 hex digits");
        }
        pin = pin.toUpperCase(Locale.ROOT);
    }

    /** The report in a chip-identity command's standard output; {@link MalformedException} when it cannot be recorded. */
    public static ChipIdentityReport parse(String output) {
        String chip = null;
        String join = null;
        String pin = null;
        for (String raw : (output == null ? "" : output).split("\\R")) {
            String line = raw.strip();
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).strip();
            switch (key) {
                case "chipeui" -> chip = once(chip, value, "ChipEUI");
                case "joineui" -> join = once(join, value, "JoinEUI");
                case "pin" -> pin = once(pin, value, "PIN");
                default -> {
                    // a tool's own line: not part of the report
                }
            }
        }
        if (chip == null) {
            throw new MalformedException("no 'ChipEUI:' line in the chip-identity report");
        }
        if (pin == null) {
            throw new MalformedException("no 'PIN:' line in the chip-identity report");
        }
        if (!chip.matches("[0-9A-Fa-f]{16}")) {
            throw new MalformedException("ChipEUI '" + printable(chip) + "' is not 16 hex digits");
        }
        if (join != null && !join.matches("[0-9A-Fa-f]{16}")) {
            throw new MalformedException("JoinEUI '" + printable(join) + "' is not 16 hex digits");
        }
        if (!pin.matches("[0-9A-Fa-f]{8}")) {
            throw new MalformedException("the PIN is not 8 hex digits (its value is not shown)");
        }
        return new ChipIdentityReport(Eui64.parse(chip), join == null ? null : Eui64.parse(join), pin);
    }

    private static String once(String before, String value, String name) {
        if (before != null) {
            throw new MalformedException("'" + name + ":' appears twice in the chip-identity report");
        }
        return value;
    }

    /** An EUI as reported, cut and cleaned for a one-line message. */
    private static String printable(String s) {
        String p = s.replaceAll("[^\\x20-\\x7E]", "?");
        return p.length() > 24 ? p.substring(0, 24) + "..." : p;
    }

    @Override
    public String toString() {
        return "ChipIdentityReport[chipEui=" + chipEui + ", joinEui=" + joinEui + ", pin=redacted]";
    }
}
