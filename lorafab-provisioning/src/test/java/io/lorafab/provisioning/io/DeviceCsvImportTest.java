package io.lorafab.provisioning.io;

import static io.lorafab.provisioning.io.TestDevices.JOIN_EUI;
import static io.lorafab.provisioning.io.TestDevices.KEK;
import static io.lorafab.provisioning.io.TestDevices.KEY_A;
import static io.lorafab.provisioning.io.TestDevices.KEY_B;
import static io.lorafab.provisioning.io.TestDevices.KEY_C;
import static io.lorafab.provisioning.io.TestDevices.KEY_D;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.lorafab.lorawan.LorawanFormatException;
import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.provisioning.model.DeviceIdentity;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** lorafab's device CSV import: what it accepts, and every refusal with its exact line and column. */
class DeviceCsvImportTest {

    static final DeviceCsvImport IMPORT = new DeviceCsvImport(MacVersion.V1_0_3, "EU868");
    static final String DEV_1 = "70b3d57ed0000001";
    static final String DEV_2 = "70b3d57ed0000002";
    static final String DEV_3 = "70b3d57ed0000003";
    static final String MINIMAL = "dev_eui,join_eui,app_key\r\n";

    // ---- accepted ---------------------------------------------------------------------------------------

    @Test
    void minimalColumnsTakeTheDefaults() {
        List<DeviceIdentity> devices = IMPORT.parse(MINIMAL + DEV_1 + "," + JOIN_EUI + "," + KEY_A + "\r\n");

        assertThat(devices).containsExactly(TestDevices.device(DEV_1, KEY_A, null, MacVersion.V1_0_3, "EU868", null, null));
    }

    @Test
    void anyColumnOrderAnyCaseAndNamesAsWritten() {
        String csv = " Name ,REGION,Mac_Version,NWK_KEY,Serial,App_Key,Join_EUI,Dev_EUI\n"
                + "\" Pump, north \",us915,MAC_V1_1," + KEY_B + ",SN 7," + KEY_A + "," + JOIN_EUI + "," + DEV_1 + "\n"
                + ",,,,," + KEY_C + "," + JOIN_EUI + "," + DEV_2 + "\n";

        assertThat(IMPORT.parse(csv)).containsExactly(
                TestDevices.device(DEV_1, KEY_A, KEY_B, MacVersion.V1_1, "US915", "SN 7", " Pump, north "),
                TestDevices.device(DEV_2, KEY_C, null, MacVersion.V1_0_3, "EU868", null, null));
    }

    @Test
    void byteOrderMarkCrlfAndTrailingBlankLines() {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        String csv = MINIMAL + DEV_1 + "," + JOIN_EUI + "," + KEY_A + "\r\n\r\n  \r\n,,\r\n";
        byte[] file = concat(bom, csv.getBytes(StandardCharsets.UTF_8));

        assertThat(IMPORT.parse(file)).extracting(DeviceIdentity::devEui).extracting(Object::toString).containsExactly(DEV_1);
    }

    @Test
    void quotedNamesWithCommasQuotesAndLineBreaks() {
        String csv = "dev_eui,join_eui,app_key,name\n"
                + DEV_1 + "," + JOIN_EUI + "," + KEY_A + ",\"Line one\r\nline \"\"two\"\", with comma\"\n"
                + DEV_2 + "," + JOIN_EUI + "," + KEY_B + ",plain\n";

        assertThat(IMPORT.parse(csv)).extracting(DeviceIdentity::name)
                .containsExactly("Line one\r\nline \"two\", with comma", "plain");
    }

    @Test
    void euisWithSeparatorsKeysInUpperCaseWith0x() {
        String csv = MINIMAL + "70-B3-D5-7E-D0-00-00-01,70:b3:d5:7e:d0:00:00:00,0x" + KEY_A.toUpperCase() + "\n";

        assertThat(IMPORT.parse(csv)).containsExactly(TestDevices.device(DEV_1, KEY_A, null, MacVersion.V1_0_3, "EU868",
                null, null));
    }

    @Test
    void readsAStream() throws Exception {
        byte[] file = (MINIMAL + DEV_1 + "," + JOIN_EUI + "," + KEY_A + "\n").getBytes(StandardCharsets.UTF_8);

        assertThat(IMPORT.parse(new ByteArrayInputStream(file))).hasSize(1);
    }

    @Test
    void wrappedKeysUnwrapWithTheLabelledKek() {
        byte[] file = DeviceExportFormat.CSV.export(List.of(TestDevices.V11_NAMED, TestDevices.V103_BARE),
                ExportOptions.defaults().withWrapKek(KEK));

        assertThat(IMPORT.withKek(new WrapKek("other", new byte[16])).withKek(KEK).parse(file))
                .containsExactly(TestDevices.V11_NAMED, TestDevices.V103_BARE);
    }

    @Test
    void defaultRegionMustBeKnown() {
        assertThatThrownBy(() -> new DeviceCsvImport(MacVersion.V1_0_3, "EU869")).isInstanceOf(LorawanFormatException.class);
    }

    // ---- refused ----------------------------------------------------------------------------------------

    static Stream<Arguments> malformed() {
        String ok1 = DEV_1 + "," + JOIN_EUI + "," + KEY_A + "\n";
        String ok2 = DEV_2 + "," + JOIN_EUI + "," + KEY_B + "\n";
        return Stream.of(
                bad("bad hex in app_key", MINIMAL + ok1 + DEV_2 + "," + JOIN_EUI + ",6bc1bee22e409f96e93d7e11739317zz\n",
                        err(3, "app_key", "character 31 is not a hex digit")),
                bad("short key", MINIMAL + DEV_1 + "," + JOIN_EUI + "," + KEY_A.substring(2) + "\n",
                        err(2, "app_key", "expected 16 bytes (32 hex digits), got 15 bytes (30 hex digits)")),
                bad("odd-length key", MINIMAL + DEV_1 + "," + JOIN_EUI + "," + KEY_A.substring(1) + "\n",
                        err(2, "app_key", "expected 16 bytes (32 hex digits), got 31 hex digits")),
                bad("short DevEUI", MINIMAL + "70b3d57ed00000," + JOIN_EUI + "," + KEY_A + "\n",
                        err(2, "dev_eui", "expected 8 bytes (16 hex digits), got 7 bytes (14 hex digits)")),
                bad("empty JoinEUI", MINIMAL + DEV_1 + ",," + KEY_A + "\n", err(2, "join_eui", "missing value")),
                bad("empty app_key", MINIMAL + DEV_1 + "," + JOIN_EUI + ",\n", err(2, "app_key", "missing value")),
                bad("missing column", "dev_eui,app_key\n" + DEV_1 + "," + KEY_A + "\n",
                        err(1, "join_eui", "required column missing from the header")),
                bad("unknown column", "dev_eui,join_eui,app_key,colour\n" + ok1.trim() + ",red\n",
                        err(1, "colour", "unknown column (known: dev_eui, join_eui, app_key, nwk_key, mac_version,"
                                + " region, serial, name, kek_label)")),
                bad("column twice", "dev_eui,join_eui,app_key,DEV_EUI\n" + ok1.trim() + "," + DEV_1 + "\n",
                        err(1, "dev_eui", "column appears twice (columns 1 and 4)")),
                bad("header cell without name", "dev_eui,,join_eui,app_key\n" + DEV_1 + ",x," + JOIN_EUI + "," + KEY_A + "\n",
                        err(1, null, "column 2 of the header has no name")),
                bad("no header row", ok1 + ok2, err(1, null, "no header row: the first line looks like data; it must"
                        + " name the columns (dev_eui, join_eui, app_key, nwk_key, mac_version, region, serial, name,"
                        + " kek_label)")),
                bad("duplicate DevEUI", MINIMAL + ok1 + ok2 + DEV_1 + "," + JOIN_EUI + "," + KEY_C + "\n",
                        err(4, "dev_eui", "duplicate DevEUI 70b3d57ed0000001, also on line 2")),
                bad("duplicate serial", "dev_eui,join_eui,app_key,serial\n" + DEV_1 + "," + JOIN_EUI + "," + KEY_A + ",SN-7\n"
                        + DEV_2 + "," + JOIN_EUI + "," + KEY_B + ",SN-8\n" + DEV_3 + "," + JOIN_EUI + "," + KEY_C + ",SN-7\n",
                        err(4, "serial", "duplicate \"SN-7\", also on line 2")),
                bad("duplicate key-like serial is not repeated", "dev_eui,join_eui,app_key,serial\n" + DEV_1 + "," + JOIN_EUI + ","
                        + KEY_A + "," + KEY_A + "\n" + DEV_2 + "," + JOIN_EUI + "," + KEY_B + "," + KEY_A + "\n",
                        err(3, "serial", "duplicate (value not shown), also on line 2")),
                bad("1.1 without nwk_key", "dev_eui,join_eui,app_key,nwk_key,mac_version\n"
                        + DEV_1 + "," + JOIN_EUI + "," + KEY_A + ",,1.1\n",
                        err(2, "nwk_key", "missing: a LoRaWAN 1.1 device needs a NwkKey")),
                bad("1.1 by default without nwk_key column", MINIMAL + ok1, new DeviceCsvImport(MacVersion.V1_1, "EU868"),
                        err(2, "nwk_key", "missing: a LoRaWAN 1.1 device needs a NwkKey")),
                bad("1.0.3 with nwk_key", "dev_eui,join_eui,app_key,nwk_key\n" + ok1.trim() + "," + KEY_B + "\n",
                        err(2, "nwk_key", "given for a LoRaWAN 1.0.3 device; only 1.1 devices have a NwkKey (a 1.0.x"
                                + " device's root key is its AppKey)")),
                bad("unknown mac_version", "dev_eui,join_eui,app_key,mac_version\n" + ok1.trim() + ",1.2\n",
                        err(2, "mac_version", "unknown LoRaWAN version (expected 1.0.0, 1.0.1, 1.0.2, 1.0.3, 1.0.4 or 1.1)")),
                bad("unknown region", "dev_eui,join_eui,app_key,region\n" + ok1.trim() + ",EU869\n",
                        err(2, "region", "unknown region (known: EU868, US915, CN470, AS923, AS923-2, AS923-3,"
                                + " AS923-4, AU915, IN865, KR920)")),
                bad("empty file", "", err(1, null, "empty file: expected a header row naming at least dev_eui,"
                        + " join_eui and app_key")),
                bad("only blank lines", "\r\n \r\n\r\n", err(1, null, "empty file: expected a header row naming at"
                        + " least dev_eui, join_eui and app_key")),
                bad("header only", MINIMAL, err(1, null, "no devices: the file has a header row but no device rows")),
                bad("header and blank lines", MINIMAL + "\r\n,,\r\n",
                        err(1, null, "no devices: the file has a header row but no device rows")),
                bad("too many fields", MINIMAL + ok1 + ok2.trim() + ",extra\n",
                        err(3, null, "expected 3 fields as in the header, got 4")),
                bad("too few fields", MINIMAL + DEV_1 + "," + JOIN_EUI + "\n",
                        err(2, null, "expected 3 fields as in the header, got 2")),
                bad("unterminated quote", MINIMAL + ok1 + DEV_2 + "," + JOIN_EUI + ",\"" + KEY_B + "\n",
                        err(3, null, "field 3: quoted field opened on line 3 is never closed")),
                bad("stray quote", MINIMAL + DEV_1 + "," + JOIN_EUI + "," + KEY_A + "\"\n",
                        err(2, null, "field 3 has a quote but does not start with one (enclose the whole field in"
                                + " quotes and double the quote)")),
                bad("line after a multi-line name", "dev_eui,join_eui,app_key,name\n"
                        + ok1.trim() + ",\"a\nb\nc\"\n" + DEV_2 + "," + JOIN_EUI + ",zz,n\n",
                        err(5, "app_key", "character 1 is not a hex digit")),
                bad("unknown KEK label", "dev_eui,join_eui,app_key,kek_label\n" + ok1.trim() + ",hsm-9\n",
                        err(2, "kek_label", "no KEK was given for this row's label (none configured)")),
                bad("plain key under a KEK label", "dev_eui,join_eui,app_key,kek_label\n" + ok1.trim() + ",lorafab-kek-1\n",
                        IMPORT.withKek(KEK), err(2, "app_key", "expected 24 bytes (48 hex digits) of RFC 3394-wrapped"
                                + " key, got 16 bytes (32 hex digits)")),
                bad("every error of a row", "dev_eui,join_eui,app_key,region,mac_version\nxx,12,,mars,9\n",
                        err(2, "dev_eui", "character 1 is not a hex digit"),
                        err(2, "join_eui", "expected 8 bytes (16 hex digits), got 1 bytes (2 hex digits)"),
                        err(2, "mac_version", "unknown LoRaWAN version (expected 1.0.0, 1.0.1, 1.0.2, 1.0.3, 1.0.4 or 1.1)"),
                        err(2, "region", "unknown region (known: EU868, US915, CN470, AS923, AS923-2, AS923-3,"
                                + " AS923-4, AU915, IN865, KR920)"),
                        err(2, "app_key", "missing value")),
                bad("errors of several rows, good rows dropped", MINIMAL + ok1 + DEV_2 + "," + JOIN_EUI + ",00\n"
                        + DEV_3 + ",zz," + KEY_C + "\n" + DEV_1 + "," + JOIN_EUI + "," + KEY_D + "\n",
                        err(3, "app_key", "expected 16 bytes (32 hex digits), got 1 bytes (2 hex digits)"),
                        err(4, "join_eui", "character 1 is not a hex digit"),
                        err(5, "dev_eui", "duplicate DevEUI 70b3d57ed0000001, also on line 2")));
    }

    static Arguments bad(String name, String csv, ImportError... errors) {
        return bad(name, csv, IMPORT, errors);
    }

    static Arguments bad(String name, String csv, DeviceCsvImport importer, ImportError... errors) {
        return Arguments.of(name, csv, importer, List.of(errors));
    }

    static ImportError err(int line, String column, String message) {
        return new ImportError(line, column, message);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void refused(String name, String csv, DeviceCsvImport importer, List<ImportError> errors) {
        ImportException e = catchThrowableOfType(() -> importer.parse(csv), ImportException.class);

        assertThat(e).as("refused").isNotNull();
        assertThat(e.errors()).isEqualTo(errors);
        assertThat(e.truncated()).isFalse();
        assertNoKeyText(e, csv);
    }

    @Test
    void notUtf8() {
        byte[] file = concat((MINIMAL + DEV_1 + "," + JOIN_EUI + "," + KEY_A + "\nname").getBytes(StandardCharsets.UTF_8),
                new byte[] {(byte) 0xC3, 0x28});

        ImportException e = catchThrowableOfType(() -> IMPORT.parse(file), ImportException.class);

        assertThat(e.errors()).containsExactly(err(3, null, "not UTF-8 text (invalid byte sequence at byte 98)"));
    }

    @Test
    void wrongKekDoesNotUnwrap() {
        byte[] file = DeviceExportFormat.CSV.export(List.of(TestDevices.V11_BARE), ExportOptions.defaults().withWrapKek(KEK));
        WrapKek impostor = new WrapKek(KEK.label(), AesKey.parse(KEY_C).bytes());

        ImportException e = catchThrowableOfType(() -> IMPORT.withKek(impostor).parse(file), ImportException.class);

        assertThat(e.errors()).containsExactly(
                err(2, "app_key", "does not unwrap under the KEK labelled 'lorafab-kek-1' (wrong KEK or altered data)"),
                err(2, "nwk_key", "does not unwrap under the KEK labelled 'lorafab-kek-1' (wrong KEK or altered data)"));
        assertNoKeyText(e, new String(file, StandardCharsets.UTF_8) + "," + KEY_C + "," + TestDevices.KEK_HEX);
    }

    @Test
    void keyInAnUnknownHeaderIsNotRepeated() {
        String csv = "dev_eui,join_eui,app_key," + KEY_D + "\n" + DEV_1 + "," + JOIN_EUI + "," + KEY_A + ",x\n";

        ImportException e = catchThrowableOfType(() -> IMPORT.parse(csv), ImportException.class);

        assertThat(e.errors()).extracting(ImportError::column).containsExactly("(not shown)");
        assertNoKeyText(e, csv);
    }

    @Test
    void keysInWrongColumnsAreNotRepeated() {
        String csv = "dev_eui,join_eui,app_key,mac_version,region,kek_label\n"
                + KEY_A + "," + KEY_B + "," + KEY_C + "," + KEY_D + "," + KEY_A + "," + KEY_B + "\n";

        ImportException e = catchThrowableOfType(() -> IMPORT.parse(csv), ImportException.class);

        assertThat(e.errors()).extracting(ImportError::column)
                .containsExactly("dev_eui", "join_eui", "mac_version", "region", "kek_label");
        assertNoKeyText(e, csv);
    }

    @Test
    void listsAtMostMaxErrorsAndSaysSoButCountsEveryRejectedRow() {
        StringBuilder csv = new StringBuilder(MINIMAL);
        for (int i = 0; i < 150; i++) {
            csv.append(String.format("70b3d57ed1%06x,%s,00\n", i, JOIN_EUI));
        }

        ImportException e = catchThrowableOfType(() -> IMPORT.parse(csv.toString()), ImportException.class);

        assertThat(e.errors()).hasSize(DeviceCsvImport.MAX_ERRORS);
        assertThat(e.errors().get(99).line()).isEqualTo(101);
        assertThat(e.truncated()).isTrue();
        assertThat(e.rejectedRows()).as("every faulty row counted, also past the listed errors").isEqualTo(150);
        assertThat(e.getMessage()).startsWith("device import refused, nothing imported: 150 rejected rows, more than 100 errors: line 2,"
                + " app_key: expected 16 bytes (32 hex digits), got 1 bytes (2 hex digits); line 3, app_key:")
                .endsWith("; ...");
    }

    @Test
    void messageSummarisesTheFirstErrors() {
        ImportException e = catchThrowableOfType(() -> IMPORT.parse(MINIMAL), ImportException.class);

        assertThat(e).hasMessage("device import refused, nothing imported: 1 error: line 1: no devices: the file has a"
                + " header row but no device rows");
    }

    /** No message may contain 12 or more consecutive characters of any 32-hex-digit run in the input. */
    static void assertNoKeyText(ImportException e, String input) {
        List<String> keys = new ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("[0-9A-Fa-f]{32,}").matcher(input);
        while (m.find()) {
            keys.add(m.group().toLowerCase());
        }
        String messages = (e.getMessage() + "\n" + e.errors().stream().map(ImportError::toString)
                .collect(Collectors.joining("\n"))).toLowerCase();
        for (String key : keys) {
            for (int i = 0; i + 12 <= key.length(); i++) {
                assertThat(messages).as("messages must not contain key text").doesNotContain(key.substring(i, i + 12));
            }
        }
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
