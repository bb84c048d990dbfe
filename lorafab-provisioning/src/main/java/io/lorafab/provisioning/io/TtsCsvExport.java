package io.lorafab.provisioning.io;

import io.lorafab.provisioning.model.DeviceIdentity;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * "tts-csv": The Things Stack's CSV end-device format (Console "Import end devices", format "The Things
 * Stack CSV"; converter ID {@code the-things-stack-csv}).
 *
 * <p>Facts from TTS's docs (CSV File Reference) and its converter (lorawan-stack
 * pkg/devicetemplates/ttscsv.go): semicolon is the documented delimiter (the converter also accepts a
 * comma, detected from the header line); a header row is required; every row has as many fields as the
 * header; RFC 4180 quoting; unknown columns are ignored; leading white space of a field is trimmed (so this
 * writer quotes such fields). Columns written: {@code id} ({@code eui-<deveui>}), {@code dev_eui},
 * {@code join_eui}, {@code name}, {@code description}, {@code frequency_plan_id}, {@code lorawan_version},
 * {@code lorawan_phy_version}, {@code app_key}, and {@code nwk_key} for LoRaWAN 1.1 (see {@link TtsNames}
 * for the values). Setting {@code app_key} also sets {@code supports_join}.
 *
 * <p>Limits of the format, and what this writer does about them:
 *
 * <ul>
 *   <li>No wrapped keys: the converter reads {@code app_key}/{@code nwk_key} as plain hex only, so an export
 *       with a KEK is refused.
 *   <li>No attributes column: the serial number goes to {@code description} as {@code "serial: <serial>"}.
 *   <li>Every column in the header is applied to every row, and an empty {@code nwk_key} cell sets an
 *       all-zero NwkKey. So {@code nwk_key} appears only in a file of 1.1 devices, and a list that mixes
 *       1.0.x and 1.1 devices is refused: export them as two files, or use tts-json.
 * </ul>
 */
public final class TtsCsvExport implements DeviceExporter {

    static final String FORMAT = "tts-csv";
    static final String SERIAL_PREFIX = "serial: ";

    @Override
    public byte[] export(List<DeviceIdentity> devices, ExportOptions options) {
        ExportChecks.noWrapping(FORMAT, options);
        ExportChecks.devices(FORMAT, devices);
        for (DeviceIdentity d : devices) {
            ExportChecks.keyed(FORMAT, d, "export it as tts-json, which names the join server and carries no key");
        }
        boolean v11 = devices.get(0).macVersion().is11();
        for (DeviceIdentity d : devices) {
            if (d.macVersion().is11() != v11) {
                throw new ExportException(FORMAT + ": the devices mix LoRaWAN 1.0.x and 1.1 (device " + d.devEui()
                        + " is " + d.macVersion() + ", device " + devices.get(0).devEui() + " is "
                        + devices.get(0).macVersion() + "); TTS would give the 1.0.x devices an all-zero NwkKey;"
                        + " export 1.0.x and 1.1 devices as separate files, or use tts-json");
            }
        }
        List<String> header = new ArrayList<>(List.of("id", "dev_eui", "join_eui", "name", "description",
                "frequency_plan_id", "lorawan_version", "lorawan_phy_version", "app_key"));
        if (v11) {
            header.add("nwk_key");
        }
        CsvWriter csv = new CsvWriter(';').row(header);
        for (DeviceIdentity d : devices) {
            String description = d.serialNumber() == null ? "" : SERIAL_PREFIX + d.serialNumber();
            ExportChecks.maxLength(FORMAT, d, "name", d.name(), TtsNames.MAX_NAME);
            ExportChecks.maxLength(FORMAT, d, "description (serial number)", description, TtsNames.MAX_DESCRIPTION);
            List<String> row = new ArrayList<>(List.of(TtsNames.deviceId(d.devEui()), TtsNames.eui(d.devEui()),
                    TtsNames.eui(d.joinEui()), d.name() == null ? "" : d.name(), description,
                    TtsNames.frequencyPlan(FORMAT, d, options), TtsNames.macVersion(d.macVersion()),
                    TtsNames.phyVersion(FORMAT, d.macVersion(), options), d.appKey().toHex().toUpperCase(Locale.ROOT)));
            if (v11) {
                row.add(d.nwkKey().toHex().toUpperCase(Locale.ROOT));
            }
            csv.row(row);
        }
        return ExportChecks.utf8(csv.text());
    }

    @Override
    public boolean carriesWrappedKeys() {
        return false;
    }
}
