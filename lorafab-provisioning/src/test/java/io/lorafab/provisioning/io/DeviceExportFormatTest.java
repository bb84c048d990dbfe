package io.lorafab.provisioning.io;

import static io.lorafab.provisioning.io.TestDevices.KEK;
import static io.lorafab.provisioning.io.TestDevices.V103_BARE;
import static io.lorafab.provisioning.io.TestDevices.V103_NAMED;
import static io.lorafab.provisioning.io.TestDevices.V11_BARE;
import static io.lorafab.provisioning.io.TestDevices.V11_NAMED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.provisioning.model.DeviceIdentity;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Each format's exact output for known devices, and every export that is refused, with its message. */
class DeviceExportFormatTest {

    static final String CS_APP = DeviceExportRoundTripTest.CS_APP;
    static final String CS_PROFILE = DeviceExportRoundTripTest.CS_PROFILE;

    @Test
    void ttsJsonIsOneEndDeviceObjectPerLine() {
        String out = text(DeviceExportFormat.TTS_JSON.export(List.of(V103_NAMED, V11_BARE),
                ExportOptions.defaults().withApplicationId("lorafab-line-1")));

        assertThat(out).isEqualTo(""
                + "{\"ids\":{\"device_id\":\"eui-70b3d57ed0000001\",\"application_ids\":{\"application_id\":\"lorafab-line-1\"},"
                + "\"dev_eui\":\"70B3D57ED0000001\",\"join_eui\":\"70B3D57ED0000000\"},\"name\":\"Boiler room, 2nd floor\","
                + "\"attributes\":{\"serial\":\"SN-0001\"},\"lorawan_version\":\"MAC_V1_0_3\","
                + "\"lorawan_phy_version\":\"PHY_V1_0_3_REV_A\",\"frequency_plan_id\":\"EU_863_870_TTN\","
                + "\"supports_join\":true,\"root_keys\":{\"app_key\":{\"key\":\"2B7E151628AED2A6ABF7158809CF4F3C\"}}}\n"
                + "{\"ids\":{\"device_id\":\"eui-70b3d57ed0000004\",\"application_ids\":{\"application_id\":\"lorafab-line-1\"},"
                + "\"dev_eui\":\"70B3D57ED0000004\",\"join_eui\":\"70B3D57ED0000000\"},\"lorawan_version\":\"MAC_V1_1\","
                + "\"lorawan_phy_version\":\"PHY_V1_1_REV_B\",\"frequency_plan_id\":\"US_902_928_FSB_2\","
                + "\"supports_join\":true,\"root_keys\":{\"app_key\":{\"key\":\"30C81C46A35CE411E5FBC1191A0A52EF\"},"
                + "\"nwk_key\":{\"key\":\"2B7E151628AED2A6ABF7158809CF4F3C\"}}}\n");
    }

    @Test
    void ttsJsonWrappedKeyIsAKeyEnvelopeWithLabelAndBase64() {
        String out = text(DeviceExportFormat.TTS_JSON.export(List.of(V103_NAMED), ExportOptions.defaults().withWrapKek(KEK)));

        assertThat(out).contains("\"root_keys\":{\"app_key\":{\"kek_label\":\"lorafab-kek-1\","
                + "\"encrypted_key\":\"qpNLQGsTlxE/oP/BUrVo8UtFw8yRTlUD\"}}");
    }

    @Test
    void ttsJsonWritesSerialNumberOnlyWhenItIsAValidTtsSerial() {
        String out = text(DeviceExportFormat.TTS_JSON.export(List.of(V11_NAMED), ExportOptions.defaults()));

        assertThat(out).contains("\"attributes\":{\"serial\":\"ab-1234\"},\"serial_number\":\"ab-1234\"");
    }

    @Test
    void ttsJsonFrequencyPlanAndPhyVersionCanBeSet() {
        String out = text(DeviceExportFormat.TTS_JSON.export(List.of(V103_BARE), ExportOptions.defaults()
                .withFrequencyPlanId("EU_863_870").withLorawanPhyVersion("RP002_V1_0_1")));

        assertThat(out).contains("\"lorawan_phy_version\":\"RP002_V1_0_1\",\"frequency_plan_id\":\"EU_863_870\"");
    }

    @ParameterizedTest(name = "{0} -> {1}, {2}")
    @CsvSource(delimiter = '|', value = {
            "1.0.0 | MAC_V1_0   | PHY_V1_0",
            "1.0.1 | MAC_V1_0_1 | PHY_V1_0_1",
            "1.0.2 | MAC_V1_0_2 | PHY_V1_0_2_REV_B",
            "1.0.3 | MAC_V1_0_3 | PHY_V1_0_3_REV_A",
            "1.0.4 | MAC_V1_0_4 | RP002_V1_0_3",
            "1.1   | MAC_V1_1   | PHY_V1_1_REV_B",
    })
    void ttsVersionNames(String mac, String lorawanVersion, String phyVersion) {
        MacVersion v = MacVersion.parse(mac);
        DeviceIdentity d = TestDevices.device("70b3d57ed00000aa", TestDevices.KEY_A, v.is11() ? TestDevices.KEY_B : null,
                v, "EU868", null, null);
        String out = text(DeviceExportFormat.TTS_JSON.export(List.of(d), ExportOptions.defaults()));

        assertThat(out).contains("\"lorawan_version\":\"" + lorawanVersion + "\",\"lorawan_phy_version\":\"" + phyVersion + "\"");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "EU868   | EU_863_870_TTN",
            "US915   | US_902_928_FSB_2",
            "AU915   | AU_915_928_FSB_2",
            "CN470   | CN_470_510_FSB_11",
            "AS923   | AS_923",
            "AS923-2 | AS_923_2",
            "AS923-3 | AS_923_3",
            "AS923-4 | AS_923_4",
            "IN865   | IN_865_867",
            "KR920   | KR_920_923_TTN",
            "eu868   | EU_863_870_TTN",
    })
    void ttsFrequencyPlanFromRegion(String region, String plan) {
        DeviceIdentity d = TestDevices.device("70b3d57ed00000aa", TestDevices.KEY_A, null, MacVersion.V1_0_3, region,
                null, null);

        assertThat(text(DeviceExportFormat.TTS_JSON.export(List.of(d), ExportOptions.defaults())))
                .contains("\"frequency_plan_id\":\"" + plan + "\"");
    }

    @Test
    void ttsCsvIsSemicolonSeparatedWithTheDocumentedColumns() {
        String out = text(DeviceExportFormat.TTS_CSV.export(List.of(V103_NAMED, V103_BARE), ExportOptions.defaults()));

        assertThat(out).isEqualTo(""
                + "id;dev_eui;join_eui;name;description;frequency_plan_id;lorawan_version;lorawan_phy_version;app_key\r\n"
                + "eui-70b3d57ed0000001;70B3D57ED0000001;70B3D57ED0000000;Boiler room, 2nd floor;serial: SN-0001;"
                + "EU_863_870_TTN;MAC_V1_0_3;PHY_V1_0_3_REV_A;2B7E151628AED2A6ABF7158809CF4F3C\r\n"
                + "eui-70b3d57ed0000002;70B3D57ED0000002;70B3D57ED0000000;;;"
                + "EU_863_870_TTN;MAC_V1_0_3;PHY_V1_0_3_REV_A;6BC1BEE22E409F96E93D7E117393172A\r\n");
    }

    @Test
    void ttsCsvHasNwkKeyColumnForLorawan11() {
        String out = text(DeviceExportFormat.TTS_CSV.export(List.of(V11_BARE), ExportOptions.defaults()));

        assertThat(out).startsWith("id;dev_eui;join_eui;name;description;frequency_plan_id;lorawan_version;"
                + "lorawan_phy_version;app_key;nwk_key\r\n")
                .endsWith(";PHY_V1_1_REV_B;30C81C46A35CE411E5FBC1191A0A52EF;2B7E151628AED2A6ABF7158809CF4F3C\r\n");
    }

    @Test
    void chirpStackCsvPutsThe10xAppKeyInNwkKey() {
        String out = text(DeviceExportFormat.CHIRPSTACK_CSV.export(List.of(V103_NAMED, V11_BARE),
                ExportOptions.defaults().withApplicationId(CS_APP).withDeviceProfileId(CS_PROFILE)));

        assertThat(out).isEqualTo(""
                + "dev_eui,join_eui,name,application_id,device_profile_id,nwk_key,app_key,tags.serial\r\n"
                + "70b3d57ed0000001,70b3d57ed0000000,\"Boiler room, 2nd floor\"," + CS_APP + "," + CS_PROFILE
                + ",2b7e151628aed2a6abf7158809cf4f3c,,SN-0001\r\n"
                + "70b3d57ed0000004,70b3d57ed0000000,70b3d57ed0000004," + CS_APP + "," + CS_PROFILE
                + ",2b7e151628aed2a6abf7158809cf4f3c,30c81c46a35ce411e5fbc1191a0a52ef,\r\n");
    }

    @Test
    void csvIsWhatDeviceCsvImportReads() {
        String out = text(DeviceExportFormat.CSV.export(List.of(V103_NAMED, V11_BARE), ExportOptions.defaults()));

        assertThat(out).isEqualTo(""
                + "dev_eui,join_eui,app_key,nwk_key,mac_version,region,serial,name\r\n"
                + "70b3d57ed0000001,70b3d57ed0000000,2b7e151628aed2a6abf7158809cf4f3c,,1.0.3,EU868,SN-0001,"
                + "\"Boiler room, 2nd floor\"\r\n"
                + "70b3d57ed0000004,70b3d57ed0000000,30c81c46a35ce411e5fbc1191a0a52ef,2b7e151628aed2a6abf7158809cf4f3c,"
                + "1.1,US915,,\r\n");
    }

    @Test
    void csvWrappedAddsKekLabelAndWrapsEveryKey() {
        String out = text(DeviceExportFormat.CSV.export(List.of(V103_NAMED), ExportOptions.defaults().withWrapKek(KEK)));

        assertThat(out).isEqualTo(""
                + "dev_eui,join_eui,app_key,nwk_key,mac_version,region,serial,name,kek_label\r\n"
                + "70b3d57ed0000001,70b3d57ed0000000,aa934b406b1397113fa0ffc152b568f14b45c3cc914e5503,,1.0.3,EU868,"
                + "SN-0001,\"Boiler room, 2nd floor\",lorafab-kek-1\r\n");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "tts-json       | TTS_JSON       | json | true",
            "TTS-CSV        | TTS_CSV        | csv  | false",
            "chirpstack-csv | CHIRPSTACK_CSV | csv  | false",
            "' csv '        | CSV            | csv  | true",
    })
    void formatsById(String id, DeviceExportFormat format, String extension, boolean wrapped) {
        assertThat(DeviceExportFormat.byId(id)).isEqualTo(format);
        assertThat(format.fileExtension()).isEqualTo(extension);
        assertThat(format.carriesWrappedKeys()).isEqualTo(wrapped);
        assertThat(format.toString()).isEqualTo(format.id());
    }

    @Test
    void unknownFormatId() {
        assertThatThrownBy(() -> DeviceExportFormat.byId("loriot")).isInstanceOf(ExportException.class)
                .hasMessage("unknown export format 'loriot' (known: tts-json, tts-csv, chirpstack-csv, csv)");
    }

    static final ExportOptions CS = ExportOptions.defaults().withApplicationId(CS_APP).withDeviceProfileId(CS_PROFILE);
    static final DeviceIdentity V103_WITH_NWK_KEY = TestDevices.device("70b3d57ed0000009", TestDevices.KEY_A,
            TestDevices.KEY_B, MacVersion.V1_0_3, "EU868", null, null);
    static final DeviceIdentity NO_REGION = TestDevices.device("70b3d57ed0000008", TestDevices.KEY_A, null,
            MacVersion.V1_0_3, null, null, null);
    static final DeviceIdentity LONG_NAME = TestDevices.device("70b3d57ed0000007", TestDevices.KEY_A, null,
            MacVersion.V1_0_3, "EU868", null, "x".repeat(51));
    static final DeviceIdentity BROKEN_NAME = TestDevices.device("70b3d57ed0000006", TestDevices.KEY_A, null,
            MacVersion.V1_0_3, "EU868", null, "ab\uD800cd");

    static Stream<Arguments> refused() {
        return Stream.of(
                refusal("tts-csv with a KEK", DeviceExportFormat.TTS_CSV, List.of(V103_NAMED),
                        ExportOptions.defaults().withWrapKek(KEK),
                        "tts-csv cannot carry wrapped keys (its importer reads root keys in the clear only); export"
                                + " without a KEK over a protected channel, or use tts-json or csv"),
                refusal("chirpstack-csv with a KEK", DeviceExportFormat.CHIRPSTACK_CSV, List.of(V103_NAMED),
                        CS.withWrapKek(KEK),
                        "chirpstack-csv cannot carry wrapped keys (its importer reads root keys in the clear only);"
                                + " export without a KEK over a protected channel, or use tts-json or csv"),
                refusal("chirpstack-csv without application", DeviceExportFormat.CHIRPSTACK_CSV, List.of(V103_NAMED),
                        ExportOptions.defaults().withDeviceProfileId(CS_PROFILE),
                        "chirpstack-csv: the ChirpStack application ID is required (a UUID)"),
                refusal("chirpstack-csv without device profile", DeviceExportFormat.CHIRPSTACK_CSV, List.of(V103_NAMED),
                        ExportOptions.defaults().withApplicationId(CS_APP),
                        "chirpstack-csv: the ChirpStack device profile ID is required (a UUID)"),
                refusal("chirpstack-csv application not a UUID", DeviceExportFormat.CHIRPSTACK_CSV, List.of(V103_NAMED),
                        CS.withApplicationId("my-app"),
                        "chirpstack-csv: the ChirpStack application ID 'my-app' is not a UUID (e.g."
                                + " 4b6c1e22-0d5f-4f5e-9a1b-2c3d4e5f6a7b)"),
                refusal("no devices", DeviceExportFormat.CSV, List.of(), ExportOptions.defaults(),
                        "csv: no devices to export"),
                refusal("DevEUI twice", DeviceExportFormat.TTS_JSON, List.of(V103_NAMED, V11_BARE, V103_NAMED),
                        ExportOptions.defaults(), "tts-json: DevEUI 70b3d57ed0000001 appears twice (devices 1 and 3)"),
                refusal("1.0.3 device with NwkKey", DeviceExportFormat.CSV, List.of(V103_WITH_NWK_KEY),
                        ExportOptions.defaults(), "csv: device 70b3d57ed0000009 is LoRaWAN 1.0.3 but has a NwkKey;"
                                + " only LoRaWAN 1.1 devices have one"),
                refusal("tts-csv mixing 1.0.x and 1.1", DeviceExportFormat.TTS_CSV, List.of(V103_NAMED, V11_BARE),
                        ExportOptions.defaults(), "tts-csv: the devices mix LoRaWAN 1.0.x and 1.1 (device"
                                + " 70b3d57ed0000004 is 1.1, device 70b3d57ed0000001 is 1.0.3); TTS would give the"
                                + " 1.0.x devices an all-zero NwkKey; export 1.0.x and 1.1 devices as separate files,"
                                + " or use tts-json"),
                refusal("tts-json device without region", DeviceExportFormat.TTS_JSON, List.of(NO_REGION),
                        ExportOptions.defaults(), "tts-json: device 70b3d57ed0000008 has no region; set a frequency"
                                + " plan ID in the export options"),
                refusal("tts-json name over 50", DeviceExportFormat.TTS_JSON, List.of(LONG_NAME),
                        ExportOptions.defaults(), "tts-json: device 70b3d57ed0000007: name has 51 characters, at"
                                + " most 50 allowed"),
                refusal("tts-csv name over 50", DeviceExportFormat.TTS_CSV, List.of(LONG_NAME),
                        ExportOptions.defaults(), "tts-csv: device 70b3d57ed0000007: name has 51 characters, at"
                                + " most 50 allowed"),
                refusal("tts-json application not a TTS ID", DeviceExportFormat.TTS_JSON, List.of(V103_NAMED),
                        ExportOptions.defaults().withApplicationId("My_App"), "tts-json: application ID 'My_App' is"
                                + " not a The Things Stack ID (3 to 36 lower-case letters, digits and single dashes,"
                                + " starting and ending with a letter or digit)"),
                refusal("tts-json unknown PHY version", DeviceExportFormat.TTS_JSON, List.of(V103_NAMED),
                        ExportOptions.defaults().withLorawanPhyVersion("1.0.3"), "tts-json: '1.0.3' is not a The"
                                + " Things Stack PHY version (e.g. PHY_V1_0_3_REV_A, PHY_V1_1_REV_B, RP002_V1_0_3)"),
                refusal("name not valid Unicode", DeviceExportFormat.CSV, List.of(BROKEN_NAME),
                        ExportOptions.defaults(), "csv: device 70b3d57ed0000006: name is not valid Unicode"
                                + " (unpaired surrogate at index 2)"));
    }

    static Arguments refusal(String name, DeviceExportFormat format, List<DeviceIdentity> devices, ExportOptions options,
            String message) {
        return Arguments.of(name, format, devices, options, message);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void refusedExports(String name, DeviceExportFormat format, List<DeviceIdentity> devices, ExportOptions options,
            String message) {
        assertThatThrownBy(() -> format.export(devices, options)).isInstanceOf(ExportException.class)
                .hasMessage(message);
    }

    @Test
    void wrapKekKeepsItsKeyToItself() {
        byte[] kek = AesKey.parse(TestDevices.KEK_HEX).bytes();
        WrapKek w = new WrapKek("hsm-1", kek);
        kek[0] ^= 1;

        assertThat(w.kek()).isEqualTo(AesKey.parse(TestDevices.KEK_HEX).bytes());
        assertThat(w).isEqualTo(new WrapKek("hsm-1", AesKey.parse(TestDevices.KEK_HEX).bytes()));
        assertThat(w.toString()).isEqualTo("WrapKek[label=hsm-1, kek=redacted]");
        assertThat(ExportOptions.defaults().withWrapKek(w).toString()).doesNotContain(TestDevices.KEK_HEX)
                .contains("kek=redacted");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "blank label      | ' '      | 16 | KEK label must be 1 to 256 characters, without control characters or surrounding blanks",
            "padded label     | ' a'     | 16 | KEK label must be 1 to 256 characters, without control characters or surrounding blanks",
            "control in label | 'a\tb'   | 16 | KEK label must be 1 to 256 characters, without control characters or surrounding blanks",
            "15-byte KEK      | kek      | 15 | KEK must be 16, 24 or 32 bytes, got 15",
            "17-byte KEK      | kek      | 17 | KEK must be 16, 24 or 32 bytes, got 17",
    })
    void badWrapKek(String name, String label, int length, String message) {
        String l = label.replace("\\t", "\t");
        assertThatThrownBy(() -> new WrapKek(l, new byte[length])).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void wrapKekAcceptsAes192And256() {
        assertThat(new WrapKek("k", new byte[24]).kek()).hasSize(24);
        assertThat(new WrapKek("k", new byte[32]).kek()).hasSize(32);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
