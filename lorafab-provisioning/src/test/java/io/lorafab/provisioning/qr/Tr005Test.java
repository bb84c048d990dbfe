package io.lorafab.provisioning.qr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lorafab.lorawan.LorawanFormatException;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.ProfileId;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Tr005Test {

    /** The example code printed in the TR005 document. */
    static final String TR005_EXAMPLE =
            "LW:D0:1122334455667788:AABBCCDDEEFF0011:AABB1122:OAABBCCDDEEFF:SYYWWNNNNNN:PFOOBAR:CAF2C";

    static final Tr005Code EXAMPLE = Tr005Code.of(Eui64.parse("1122334455667788"), Eui64.parse("AABBCCDDEEFF0011"),
            new ProfileId(0xAABB, 0x1122)).withOwnerToken("AABBCCDDEEFF").withSerialNumber("YYWWNNNNNN")
            .withProprietary("FOOBAR");

    @ParameterizedTest(name = "{0}: CRC-16 over \"{1}\" = {2}")
    @CsvSource(delimiter = '|', textBlock = """
            CRC-16/MODBUS catalogue check value | 123456789 | 4B37
            empty input keeps the initial value  | ''        | FFFF
            TR005 document example, before :C   | LW:D0:1122334455667788:AABBCCDDEEFF0011:AABB1122:OAABBCCDDEEFF:SYYWWNNNNNN:PFOOBAR | AF2C
            mandatory fields only (own regression) | LW:D0:70B3D57ED0000001:0004A30B001C0530:000A0001 | 3FCF
            """)
    void checksumVectors(String name, String text, String crc) {
        assertThat(Tr005Checksum.of(text)).isEqualTo(crc);
    }

    @Test
    void formatsTheDocumentExampleExactly() {
        assertThat(Tr005.format(EXAMPLE, true)).isEqualTo(TR005_EXAMPLE);
        assertThat(Tr005.parse(TR005_EXAMPLE)).isEqualTo(EXAMPLE);
        assertThat(Tr005.format(EXAMPLE, false)).isEqualTo(TR005_EXAMPLE.substring(0, TR005_EXAMPLE.length() - 6));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            mandatory fields only                | LW:D0:70B3D57ED0000001:0004A30B001C0530:000A0001                          | 70b3d57ed0000001 | 0004a30b001c0530 | 000A0001 |          |           |
            all extensions with checksum         | LW:D0:1122334455667788:AABBCCDDEEFF0011:AABB1122:OAABBCCDDEEFF:SYYWWNNNNNN:PFOOBAR:CAF2C | 1122334455667788 | aabbccddeeff0011 | AABB1122 | AABBCCDDEEFF | YYWWNNNNNN | FOOBAR
            extensions in another order          | LW:D0:1122334455667788:AABBCCDDEEFF0011:AABB1122:PFOOBAR:SYYWWNNNNNN:OAABBCCDDEEFF | 1122334455667788 | aabbccddeeff0011 | AABB1122 | AABBCCDDEEFF | YYWWNNNNNN | FOOBAR
            serial number only                   | LW:D0:70B3D57ED0000001:0004A30B001C0530:000A0001:SSN-2024/0001            | 70b3d57ed0000001 | 0004a30b001c0530 | 000A0001 |          | SN-2024/0001 |
            checksum without extensions          | LW:D0:70B3D57ED0000001:0004A30B001C0530:000A0001:C3FCF                    | 70b3d57ed0000001 | 0004a30b001c0530 | 000A0001 |          |           |
            lower-case hex in EUIs and ProfileID | LW:D0:70b3d57ed0000001:0004a30b001c0530:000a00ff                          | 70b3d57ed0000001 | 0004a30b001c0530 | 000A00FF |          |           |
            lower-case checksum digits           | LW:D0:1122334455667788:AABBCCDDEEFF0011:AABB1122:OAABBCCDDEEFF:SYYWWNNNNNN:PFOOBAR:Caf2c | 1122334455667788 | aabbccddeeff0011 | AABB1122 | AABBCCDDEEFF | YYWWNNNNNN | FOOBAR
            keyboard wedge trailing CR LF        | "LW:D0:70B3D57ED0000001:0004A30B001C0530:000A0001\r\n"                    | 70b3d57ed0000001 | 0004a30b001c0530 | 000A0001 |          |           |
            trailing tab and spaces              | "LW:D0:70B3D57ED0000001:0004A30B001C0530:000A0001:SX1\t  "                | 70b3d57ed0000001 | 0004a30b001c0530 | 000A0001 |          | X1        |
            all-zero and all-ones identifiers    | LW:D0:0000000000000000:FFFFFFFFFFFFFFFF:FFFF0000                          | 0000000000000000 | ffffffffffffffff | FFFF0000 |          |           |
            """)
    void validCodes(String name, String code, String joinEui, String devEui, String profileId, String owner,
            String serial, String proprietary) {
        Tr005Code parsed = Tr005.parse(unescape(code));
        assertThat(parsed.joinEui()).isEqualTo(Eui64.parse(joinEui));
        assertThat(parsed.devEui()).isEqualTo(Eui64.parse(devEui));
        assertThat(parsed.profileId()).isEqualTo(ProfileId.parse(profileId));
        assertThat(parsed.ownerToken()).isEqualTo(Optional.ofNullable(owner));
        assertThat(parsed.serialNumber()).isEqualTo(Optional.ofNullable(serial));
        assertThat(parsed.proprietary()).isEqualTo(Optional.ofNullable(proprietary));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            empty                         | ""                                                                    | TR005: empty code
            blank scanner line            | "\r\n"                                                                | TR005: empty code
            wrong prefix                  | LX:D0:70B3D57ED0000001:0004A30B001C0530:000A0001                      | must start with "LW:", got "LX"
            lower-case prefix             | lw:d0:70B3D57ED0000001:0004A30B001C0530:000A0001                      | must start with "LW:", got "lw"
            URN draft format              | URN:DEV:LW:70B3D57ED0000001_0004A30B001C0530_000A0001                 | must start with "LW:", got "URN"
            unknown schema                | LW:D1:70B3D57ED0000001:0004A30B001C0530:000A0001                      | unknown schema ID "D1" (only D0 is defined)
            missing ProfileID             | LW:D0:70B3D57ED0000001:0004A30B001C0530                               | expected LW:D0:JoinEUI:DevEUI:ProfileID, got only 4
            JoinEUI too short             | LW:D0:70B3D57ED000:0004A30B001C0530:000A0001                          | JoinEUI must be 16 hex digits, got 12
            DevEUI too long               | LW:D0:70B3D57ED0000001:0004A30B001C053000:000A0001                    | DevEUI must be 16 hex digits, got 18
            DevEUI with separators        | LW:D0:70B3D57ED0000001:00-04-A3-0B-00-1C-05-30:000A0001               | DevEUI must be 16 hex digits, got 23
            JoinEUI bad hex               | LW:D0:70B3D57EG0000001:0004A30B001C0530:000A0001                      | JoinEUI has a non-hex character at position 8
            ProfileID too long            | LW:D0:70B3D57ED0000001:0004A30B001C0530:000A00010                     | ProfileID must be 8 hex digits, got 9
            ProfileID bad hex             | LW:D0:70B3D57ED0000001:0004A30B001C0530:000A000Z                      | ProfileID has a non-hex character at position 7
            ProfileID with 0x             | LW:D0:70B3D57ED0000001:0004A30B001C0530:0x0A0001                      | ProfileID has a non-hex character at position 1
            checksum wrong                | LW:D0:70B3D57ED0000001:0004A30B001C0530:000A0001:C3FCE                | CheckSum mismatch: code says 3FCE, content gives 3FCF
            checksum of other content     | LW:D0:70B3D57ED0000001:0004A30B001C0531:000A0001:C3FCF                | CheckSum mismatch
            checksum too short            | LW:D0:70B3D57ED0000001:0004A30B001C0530:000A0001:C3FC                 | CheckSum must be 4 hex digits, got "3FC"
            checksum not hex              | LW:D0:70B3D57ED0000001:0004A30B001C0530:000A0001:C3FCX                | CheckSum must be 4 hex digits
            checksum not last             | LW:D0:70B3D57ED0000001:0004A30B001C0530:000A0001:C3FCF:SX1            | CheckSum ('C') must be the last field
            ':' inside a serial number    | LW:D0:70B3D57ED0000001:0004A30B001C0530:000A0001:SAB:CD               | CheckSum must be 4 hex digits, got "D"
            ':' inside an owner token     | LW:D0:70B3D57ED0000001:0004A30B001C0530:000A0001:OAB:XY               | unknown extension tag 'X' in field 7
            unknown tag                   | LW:D0:70B3D57ED0000001:0004A30B001C0530:000A0001:X123                 | unknown extension tag 'X' in field 6
            lower-case tag                | LW:D0:70B3D57ED0000001:0004A30B001C0530:000A0001:s123                 | unknown extension tag 's'
            duplicate serial number       | LW:D0:70B3D57ED0000001:0004A30B001C0530:000A0001:S1:S2                | SerNum ('S') appears twice
            empty extension               | LW:D0:70B3D57ED0000001:0004A30B001C0530:000A0001:O                    | OwnerToken is empty
            empty field                   | LW:D0:70B3D57ED0000001:0004A30B001C0530:000A0001::SX1                 | field 6 is empty
            trailing ':'                  | LW:D0:70B3D57ED0000001:0004A30B001C0530:000A0001:                     | field 6 is empty
            space inside a field          | LW:D0:70B3D57ED0000001:0004A30B001C0530:000A0001:SAB CD               | SerNum contains illegal character U+0020 at position 2
            control character             | "LW:D0:70B3D57ED0000001:0004A30B001C0530:000A0001:SAB\tCD"            | illegal character U+0009 at position 52
            non-ASCII character           | LW:D0:70B3D57ED0000001:0004A30B001C0530:000A0001:SAB\u00e9            | illegal character U+00E9 at position 52
            """)
    void invalidCodes(String name, String code, String message) {
        assertThatThrownBy(() -> Tr005.parse(unescape(code))).isInstanceOf(LorawanFormatException.class)
                .hasMessageStartingWith("TR005: ").hasMessageContaining(message);
    }

    @Test
    void aCodeWhoseCheckSumSeparatorWasDamagedIsOnlyCaughtWhenTheCheckSumIsRequired() {
        String damaged = TR005_EXAMPLE.replace("PFOOBAR:CAF2C", "PFOOBAR!CAF2C");
        assertThat(Tr005.parse(damaged).proprietary()).contains("FOOBAR!CAF2C");
        assertThatThrownBy(() -> Tr005.parse(damaged, true)).isInstanceOf(LorawanFormatException.class)
                .hasMessage("TR005: CheckSum ('C') field required but absent");
        assertThat(Tr005.parse(TR005_EXAMPLE, true)).isEqualTo(EXAMPLE);
    }

    @Test
    void nullIsRejected() {
        assertThatThrownBy(() -> Tr005.parse(null)).isInstanceOf(LorawanFormatException.class)
                .hasMessage("TR005: missing value");
    }

    @Test
    void formatWritesUpperCaseHexAndExtensionsInTheDocumentOrder() {
        Tr005Code code = Tr005Code.of(Eui64.parse("70b3d57ed0000001"), Eui64.parse("0004a30b001c0530"),
                new ProfileId(0x000a, 0x00ff)).withProprietary("p").withSerialNumber("s").withOwnerToken("o");
        assertThat(Tr005.format(code, false))
                .isEqualTo("LW:D0:70B3D57ED0000001:0004A30B001C0530:000A00FF:Oo:Ss:Pp");
        String withCrc = Tr005.format(code, true);
        String plain = Tr005.format(code, false);
        assertThat(withCrc).startsWith(plain + ":C").hasSize(plain.length() + 6);
        assertThat(Tr005.parse(withCrc)).isEqualTo(code);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            ':' in serial number     | S | AB:CD  | SerNum contains ':' at position 2
            ':' in owner token       | O | :      | OwnerToken contains ':' at position 0
            space in proprietary     | P | a b    | Proprietary contains illegal character U+0020 at position 1
            non-ASCII in serial      | S | Zähler | SerNum contains illegal character U+00E4 at position 1
            empty serial             | S | ""     | SerNum is empty
            """)
    void recordRejectsFieldsThatCannotBeWritten(String name, char tag, String value, String message) {
        Tr005Code base = Tr005Code.of(Eui64.of(1), Eui64.of(2), new ProfileId(1, 2));
        assertThatThrownBy(() -> {
            switch (tag) {
                case 'O' -> base.withOwnerToken(value);
                case 'S' -> base.withSerialNumber(value);
                default -> base.withProprietary(value);
            }
        }).isInstanceOf(LorawanFormatException.class).hasMessage("TR005: " + message
                + (message.contains("':'") ? " (':' separates fields and cannot be escaped)"
                        : message.contains("illegal") ? " (printable ASCII without space only)" : ""));
    }

    @Test
    void recordRequiresIdentifiersAndNonNullOptionals() {
        assertThatThrownBy(() -> Tr005Code.of(null, Eui64.of(2), new ProfileId(1, 2)))
                .isInstanceOf(LorawanFormatException.class).hasMessageContaining("required");
        assertThatThrownBy(() -> new Tr005Code(Eui64.of(1), Eui64.of(2), new ProfileId(1, 2), null,
                Optional.empty(), Optional.empty())).isInstanceOf(LorawanFormatException.class)
                .hasMessageContaining("Optional.empty()");
    }

    /** CSV cells cannot hold CR, LF or TAB; the tables write them as \r, \n, \t and \\uXXXX. */
    static String unescape(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                switch (n) {
                    case 'r' -> out.append('\r');
                    case 'n' -> out.append('\n');
                    case 't' -> out.append('\t');
                    case 'u' -> {
                        out.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                        i += 4;
                    }
                    default -> out.append('\\').append(n);
                }
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
