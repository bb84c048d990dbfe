package io.lorafab.provisioning.qr;

import io.lorafab.lorawan.LorawanFormatException;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.ProfileId;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Text form of the LoRa Alliance TR005 "LoRaWAN Device Identification QR Codes", schema ID D0:
 *
 * <pre>
 * LW:D0:&lt;JoinEUI&gt;:&lt;DevEUI&gt;:&lt;ProfileID&gt;
 *     [:O&lt;OwnerToken&gt;][:S&lt;SerNum&gt;][:P&lt;Proprietary&gt;][:C&lt;CheckSum&gt;]
 * </pre>
 *
 * <p>Writing: JoinEUI and DevEUI as 16 and ProfileID as 8 upper-case hex digits; the extensions in the order
 * O, S, P; the CheckSum (see {@link Tr005Checksum}) last, computed over everything before {@code ":C"}.
 *
 * <p>Reading accepts what a scanner or a keyboard-wedge reader delivers: leading and trailing whitespace
 * (CR, LF, TAB, space) is removed first. Hex digits of JoinEUI, DevEUI, ProfileID and CheckSum may be in
 * either case (the checksum is still computed over the characters as received); the "LW" and "D0" prefix
 * and the one-letter tags must be upper-case. O, S and P may come in any order, each at most once; C, if
 * present, must be the last field and must match. Unknown tags, empty fields and characters outside printable
 * ASCII are rejected rather than skipped, so nothing on a label is silently lost. Every rejection is a
 * {@link LorawanFormatException} whose message starts with "TR005:" and names the field at fault.
 */
public final class Tr005 {

    /** The only schema ID this class reads and writes. */
    public static final String SCHEMA_D0 = "D0";
    static final String PREFIX = "LW";

    /** The extension fields, by their one-letter tag. */
    enum Extension {
        OWNER_TOKEN('O', "OwnerToken"),
        SERIAL_NUMBER('S', "SerNum"),
        PROPRIETARY('P', "Proprietary"),
        CHECKSUM('C', "CheckSum");

        final char tag;
        final String label;

        Extension(char tag, String label) {
            this.tag = tag;
            this.label = label;
        }

        static Optional<Extension> byTag(char tag) {
            for (Extension e : values()) {
                if (e.tag == tag) {
                    return Optional.of(e);
                }
            }
            return Optional.empty();
        }
    }

    private Tr005() {
    }

    /** The QR code text for {@code code}, with a trailing CheckSum field if {@code withChecksum}. */
    public static String format(Tr005Code code, boolean withChecksum) {
        if (code == null) {
            throw new LorawanFormatException("TR005: no code to format");
        }
        StringBuilder sb = new StringBuilder(96);
        sb.append(PREFIX).append(':').append(SCHEMA_D0)
                .append(':').append(hex16(code.joinEui()))
                .append(':').append(hex16(code.devEui()))
                .append(':').append(code.profileId());
        code.ownerToken().ifPresent(v -> sb.append(':').append(Extension.OWNER_TOKEN.tag).append(v));
        code.serialNumber().ifPresent(v -> sb.append(':').append(Extension.SERIAL_NUMBER.tag).append(v));
        code.proprietary().ifPresent(v -> sb.append(':').append(Extension.PROPRIETARY.tag).append(v));
        if (withChecksum) {
            String crc = Tr005Checksum.of(sb);
            sb.append(':').append(Extension.CHECKSUM.tag).append(crc);
        }
        return sb.toString();
    }

    /**
     * Parses a TR005 D0 code as scanned; see the class comment for what is accepted. A CheckSum, if present, is
     * verified; a code without one is accepted.
     */
    public static Tr005Code parse(String text) {
        return parse(text, false);
    }

    /**
     * Parses like {@link #parse(String)} and, if {@code requireChecksum}, also rejects a code without a
     * CheckSum. Use this for codes known to carry one (such as the labels this project prints): since the
     * CheckSum is optional in TR005, damage to the {@code ":C"} that introduces it would otherwise turn it into
     * an unchecked code with an altered last field.
     */
    public static Tr005Code parse(String text, boolean requireChecksum) {
        if (text == null) {
            throw new LorawanFormatException("TR005: missing value");
        }
        String s = text.strip();
        if (s.isEmpty()) {
            throw new LorawanFormatException("TR005: empty code");
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c >= 0x7f) {
                throw new LorawanFormatException("TR005: illegal character " + String.format("U+%04X", (int) c)
                        + " at position " + i + " (printable ASCII only)");
            }
        }
        String[] fields = s.split(":", -1);
        if (!fields[0].equals(PREFIX)) {
            throw new LorawanFormatException("TR005: must start with \"LW:\", got \"" + abbreviate(fields[0])
                    + "\"");
        }
        if (fields.length < 2 || !fields[1].equals(SCHEMA_D0)) {
            String schema = fields.length < 2 ? "" : fields[1];
            throw new LorawanFormatException("TR005: unknown schema ID \"" + abbreviate(schema)
                    + "\" (only D0 is defined)");
        }
        if (fields.length < 5) {
            throw new LorawanFormatException("TR005: expected LW:D0:JoinEUI:DevEUI:ProfileID, got only "
                    + fields.length + " ':'-separated fields");
        }
        Eui64 joinEui = Eui64.of(Long.parseUnsignedLong(hexField(fields[2], "JoinEUI", 16), 16));
        Eui64 devEui = Eui64.of(Long.parseUnsignedLong(hexField(fields[3], "DevEUI", 16), 16));
        ProfileId profileId = ProfileId.parse(hexField(fields[4], "ProfileID", 8));

        Map<Extension, String> ext = new EnumMap<>(Extension.class);
        for (int f = 5; f < fields.length; f++) {
            String field = fields[f];
            if (field.isEmpty()) {
                throw new LorawanFormatException("TR005: field " + (f + 1) + " is empty (\"::\" or trailing ':')");
            }
            int number = f + 1;
            Extension e = Extension.byTag(field.charAt(0)).orElseThrow(() -> new LorawanFormatException(
                    "TR005: unknown extension tag '" + field.charAt(0) + "' in field " + number
                            + " (known: O, S, P, C)"));
            if (ext.containsKey(e)) {
                throw new LorawanFormatException("TR005: " + e.label + " ('" + e.tag + "') appears twice");
            }
            String value = field.substring(1);
            if (e == Extension.CHECKSUM) {
                if (f != fields.length - 1) {
                    throw new LorawanFormatException("TR005: CheckSum ('C') must be the last field");
                }
                checkChecksum(s, value);
            } else {
                Tr005Code.checkExtension(e, value);
            }
            ext.put(e, value);
        }
        if (requireChecksum && !ext.containsKey(Extension.CHECKSUM)) {
            throw new LorawanFormatException("TR005: CheckSum ('C') field required but absent");
        }
        return new Tr005Code(joinEui, devEui, profileId,
                Optional.ofNullable(ext.get(Extension.OWNER_TOKEN)),
                Optional.ofNullable(ext.get(Extension.SERIAL_NUMBER)),
                Optional.ofNullable(ext.get(Extension.PROPRIETARY)));
    }

    private static void checkChecksum(String code, String value) {
        if (value.length() != 4 || !isHex(value)) {
            throw new LorawanFormatException("TR005: CheckSum must be 4 hex digits, got \"" + abbreviate(value)
                    + "\"");
        }
        String covered = code.substring(0, code.length() - value.length() - 2);
        int expected = Tr005Checksum.crc16(covered);
        int given = Integer.parseInt(value, 16);
        if (given != expected) {
            throw new LorawanFormatException("TR005: CheckSum mismatch: code says "
                    + value.toUpperCase(Locale.ROOT) + ", content gives " + String.format("%04X", expected)
                    + " (misread or altered code)");
        }
    }

    private static String hexField(String field, String what, int digits) {
        if (field.length() != digits) {
            throw new LorawanFormatException("TR005: " + what + " must be " + digits + " hex digits, got "
                    + field.length());
        }
        for (int i = 0; i < field.length(); i++) {
            if (Character.digit(field.charAt(i), 16) < 0) {
                throw new LorawanFormatException("TR005: " + what + " has a non-hex character at position " + i);
            }
        }
        return field;
    }

    private static boolean isHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    private static String hex16(Eui64 eui) {
        return String.format("%016X", eui.value());
    }

    private static String abbreviate(String s) {
        return s.length() <= 12 ? s : s.substring(0, 12) + "...";
    }
}
