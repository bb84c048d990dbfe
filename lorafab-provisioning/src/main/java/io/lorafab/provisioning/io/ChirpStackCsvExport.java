package io.lorafab.provisioning.io;

import io.lorafab.provisioning.model.DeviceIdentity;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * "chirpstack-csv": a device list for ChirpStack v4, one row per device, comma-separated, with a header.
 *
 * <p>ChirpStack v4 has no CSV import of its own: devices are created through its API
 * ({@code DeviceService.Create} with a {@code Device}, then {@code DeviceService.CreateKeys} with
 * {@code DeviceKeys}; api/proto/api/device.proto), and the bulk-import scripts users run each read their own
 * columns. So this layout names its columns after those API fields, for a 1:1 mapping: {@code dev_eui},
 * {@code join_eui}, {@code name}, {@code application_id}, {@code device_profile_id} (Device), {@code nwk_key},
 * {@code app_key} (DeviceKeys), and {@code tags.serial} (the Device {@code tags} map, which ChirpStack passes
 * on in integration events). EUIs and keys are lower-case hex, as ChirpStack shows them.
 *
 * <p>Key placement follows the comments on {@code DeviceKeys} in device.proto: {@code nwk_key} is the network
 * root key and is where a LoRaWAN 1.0.x device's AppKey goes; {@code app_key} is needed for LoRaWAN 1.1
 * devices only. So a 1.0.x device has its AppKey in {@code nwk_key} and an empty {@code app_key}; a 1.1
 * device has its NwkKey in {@code nwk_key} and its AppKey in {@code app_key}. The MAC version and region live in ChirpStack's device profile, not in the device, so they are
 * not written; the profile named by {@code device_profile_id} must match the devices.
 *
 * <p>Required options: application ID and device-profile ID, both UUIDs (ChirpStack v4 identifies both by
 * UUID). A device without a name is named after its DevEUI (ChirpStack requires a name). DeviceKeys are
 * plain hex: wrapped keys are refused.
 */
public final class ChirpStackCsvExport implements DeviceExporter {

    static final String FORMAT = "chirpstack-csv";
    /**
     * The column added when a device's secure element holds its keys: its external join server. Such a row has both
     * key cells empty (no DeviceKeys to create): ChirpStack hands the device's join-requests to the join server its
     * configuration names for the device's JoinEUI, which this column tells the operator to configure.
     */
    static final String JOIN_SERVER = "join_server";
    static final List<String> HEADER = List.of("dev_eui", "join_eui", "name", "application_id", "device_profile_id",
            "nwk_key", "app_key", "tags.serial");

    @Override
    public byte[] export(List<DeviceIdentity> devices, ExportOptions options) {
        ExportChecks.noWrapping(FORMAT, options);
        String applicationId = uuid(options.applicationId().orElse(null), "application ID");
        String profileId = uuid(options.deviceProfileId().orElse(null), "device profile ID");
        ExportChecks.devices(FORMAT, devices);
        boolean anyOnElement = devices.stream().anyMatch(DeviceIdentity::keysHeldBySecureElement);
        List<String> header = new ArrayList<>(HEADER);
        if (anyOnElement) {
            header.add(JOIN_SERVER);
        }
        CsvWriter csv = new CsvWriter(',').row(header);
        for (DeviceIdentity d : devices) {
            boolean v11 = d.macVersion().is11();
            boolean onElement = d.keysHeldBySecureElement();
            List<String> row = new ArrayList<>(List.of(d.devEui().toString(), d.joinEui().toString(),
                    d.name() != null ? d.name() : d.devEui().toString(), applicationId, profileId,
                    onElement ? "" : v11 ? d.nwkKey().toHex() : d.appKey().toHex(),
                    onElement || !v11 ? "" : d.appKey().toHex(), d.serialNumber() == null ? "" : d.serialNumber()));
            if (anyOnElement) {
                row.add(onElement ? d.secureElement().joinServer() : "");
            }
            csv.row(row);
        }
        return ExportChecks.utf8(csv.text());
    }

    @Override
    public boolean carriesWrappedKeys() {
        return false;
    }

    private static String uuid(String value, String what) {
        if (value == null) {
            throw new ExportException(FORMAT + ": the ChirpStack " + what + " is required (a UUID)");
        }
        try {
            UUID parsed = UUID.fromString(value);
            if (!parsed.toString().equalsIgnoreCase(value)) {
                throw new IllegalArgumentException("not canonical");
            }
            return parsed.toString();
        } catch (IllegalArgumentException e) {
            throw new ExportException(FORMAT + ": the ChirpStack " + what + " '" + value
                    + "' is not a UUID (e.g. 4b6c1e22-0d5f-4f5e-9a1b-2c3d4e5f6a7b)");
        }
    }
}
