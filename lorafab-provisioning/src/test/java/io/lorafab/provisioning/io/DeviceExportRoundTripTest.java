package io.lorafab.provisioning.io;

import static io.lorafab.provisioning.io.TestDevices.KEK;
import static io.lorafab.provisioning.io.TestDevices.V103_BARE;
import static io.lorafab.provisioning.io.TestDevices.V103_NAMED;
import static io.lorafab.provisioning.io.TestDevices.V11_BARE;
import static io.lorafab.provisioning.io.TestDevices.V11_NAMED;
import static org.assertj.core.api.Assertions.assertThat;

import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.provisioning.model.DeviceIdentity;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every format × (1.0.3 devices, 1.1 devices; with and without serial and name; keys plain and, where the
 * format carries them, wrapped): export, read back, and get the same identities and keys.
 */
class DeviceExportRoundTripTest {

    static final String TTS_APP = "lorafab-line-1";
    static final String CS_APP = "4b6c1e22-0d5f-4f5e-9a1b-2c3d4e5f6a7b";
    static final String CS_PROFILE = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";

    static final List<DeviceIdentity> V103 = List.of(V103_NAMED, V103_BARE);
    static final List<DeviceIdentity> V11 = List.of(V11_NAMED, V11_BARE);
    static final List<DeviceIdentity> MIXED = List.of(V103_NAMED, V11_NAMED, V103_BARE, V11_BARE);

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (boolean wrapped : new boolean[] {false, true}) {
            String keys = wrapped ? "wrapped" : "plain";
            cases.add(Arguments.of("csv, 1.0.3, " + keys, DeviceExportFormat.CSV, V103, wrapped));
            cases.add(Arguments.of("csv, 1.1, " + keys, DeviceExportFormat.CSV, V11, wrapped));
            cases.add(Arguments.of("csv, mixed, " + keys, DeviceExportFormat.CSV, MIXED, wrapped));
            cases.add(Arguments.of("tts-json, 1.0.3, " + keys, DeviceExportFormat.TTS_JSON, V103, wrapped));
            cases.add(Arguments.of("tts-json, 1.1, " + keys, DeviceExportFormat.TTS_JSON, V11, wrapped));
            cases.add(Arguments.of("tts-json, mixed, " + keys, DeviceExportFormat.TTS_JSON, MIXED, wrapped));
        }
        cases.add(Arguments.of("tts-csv, 1.0.3, plain", DeviceExportFormat.TTS_CSV, V103, false));
        cases.add(Arguments.of("tts-csv, 1.1, plain", DeviceExportFormat.TTS_CSV, V11, false));
        cases.add(Arguments.of("chirpstack-csv, 1.0.3, plain", DeviceExportFormat.CHIRPSTACK_CSV, V103, false));
        cases.add(Arguments.of("chirpstack-csv, 1.1, plain", DeviceExportFormat.CHIRPSTACK_CSV, V11, false));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void roundTrip(String name, DeviceExportFormat format, List<DeviceIdentity> devices, boolean wrapped) {
        ExportOptions options = options(format);
        if (wrapped) {
            options = options.withWrapKek(KEK);
        }
        byte[] file = format.export(devices, options);

        assertThat(read(format, file, devices, wrapped)).isEqualTo(expected(format, devices));
        String text = new String(file, StandardCharsets.UTF_8);
        if (wrapped) {
            for (DeviceIdentity d : devices) {
                assertThat(text).as("no key in the clear").doesNotContainIgnoringCase(d.appKey().toHex());
                if (d.nwkKey() != null) {
                    assertThat(text).doesNotContainIgnoringCase(d.nwkKey().toHex());
                }
            }
        }
    }

    private static ExportOptions options(DeviceExportFormat format) {
        switch (format) {
            case TTS_JSON: return ExportOptions.defaults().withApplicationId(TTS_APP);
            case CHIRPSTACK_CSV: return ExportOptions.defaults().withApplicationId(CS_APP).withDeviceProfileId(CS_PROFILE);
            default: return ExportOptions.defaults();
        }
    }

    private static List<DeviceIdentity> read(DeviceExportFormat format, byte[] file, List<DeviceIdentity> devices,
            boolean wrapped) {
        switch (format) {
            case CSV:
                DeviceCsvImport importer = new DeviceCsvImport(MacVersion.V1_0_2, "AU915");
                return (wrapped ? importer.withKek(KEK) : importer).parse(file);
            case TTS_JSON:
                List<DeviceIdentity> read = ExportedFormats.readTtsJson(file, wrapped ? Optional.of(KEK) : Optional.empty());
                ExportedFormats.ttsJsonObjects(file).forEach(o ->
                        assertThat(o.at("/ids/application_ids/application_id").asText()).isEqualTo(TTS_APP));
                return read;
            case TTS_CSV:
                return ExportedFormats.readTtsCsv(file);
            case CHIRPSTACK_CSV:
                ExportedFormats.rows(file, ',').forEach(row -> {
                    assertThat(row.get("application_id")).isEqualTo(CS_APP);
                    assertThat(row.get("device_profile_id")).isEqualTo(CS_PROFILE);
                });
                DeviceIdentity first = devices.get(0);
                return ExportedFormats.readChirpStackCsv(file, first.macVersion(), first.region());
            default:
                throw new AssertionError(format);
        }
    }

    /** What each format gives back: everything, except that ChirpStack names a nameless device by its DevEUI. */
    private static List<DeviceIdentity> expected(DeviceExportFormat format, List<DeviceIdentity> devices) {
        if (format != DeviceExportFormat.CHIRPSTACK_CSV) {
            return devices;
        }
        return devices.stream().map(d -> d.name() != null ? d : new DeviceIdentity(d.devEui(), d.joinEui(),
                d.appKey(), d.nwkKey(), d.macVersion(), d.region(), d.serialNumber(), d.devEui().toString())).toList();
    }
}
