package io.lorafab.provisioning.io;

import io.lorafab.provisioning.model.DeviceIdentity;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The export formats by their IDs: {@code tts-json}, {@code tts-csv}, {@code chirpstack-csv}, {@code csv}.
 * Each delegates to its {@link DeviceExporter}, where the format is described.
 */
public enum DeviceExportFormat {
    /** The Things Stack JSON (newline-delimited EndDevice objects): {@link TtsJsonExport}. */
    TTS_JSON(TtsJsonExport.FORMAT, "json", new TtsJsonExport()),
    /** The Things Stack CSV (semicolon-separated): {@link TtsCsvExport}. */
    TTS_CSV(TtsCsvExport.FORMAT, "csv", new TtsCsvExport()),
    /** ChirpStack v4 device list named after its API fields: {@link ChirpStackCsvExport}. */
    CHIRPSTACK_CSV(ChirpStackCsvExport.FORMAT, "csv", new ChirpStackCsvExport()),
    /** lorafab's own CSV, read back by {@link DeviceCsvImport}: {@link DeviceCsvExport}. */
    CSV(DeviceCsvExport.FORMAT, "csv", new DeviceCsvExport());

    private final String id;
    private final String fileExtension;
    private final DeviceExporter exporter;

    DeviceExportFormat(String id, String fileExtension, DeviceExporter exporter) {
        this.id = id;
        this.fileExtension = fileExtension;
        this.exporter = exporter;
    }

    /** The format by its ID, ignoring case. */
    public static DeviceExportFormat byId(String id) {
        String wanted = id == null ? "" : id.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(f -> f.id.equals(wanted)).findFirst()
                .orElseThrow(() -> new ExportException("unknown export format '" + id + "' (known: "
                        + Arrays.stream(values()).map(DeviceExportFormat::id).collect(Collectors.joining(", ")) + ")"));
    }

    /** "tts-json", "tts-csv", "chirpstack-csv" or "csv". */
    public String id() {
        return id;
    }

    /** "json" or "csv", without a dot. */
    public String fileExtension() {
        return fileExtension;
    }

    /** Whether the format can carry RFC 3394-wrapped root keys; the others refuse an export with a KEK. */
    public boolean carriesWrappedKeys() {
        return exporter.carriesWrappedKeys();
    }

    public DeviceExporter exporter() {
        return exporter;
    }

    /**
     * The devices in this format (UTF-8).
     *
     * @throws ExportException if the devices or options cannot be written in this format
     */
    public byte[] export(List<DeviceIdentity> devices, ExportOptions options) {
        return exporter.export(devices, options);
    }

    @Override
    public String toString() {
        return id;
    }
}
