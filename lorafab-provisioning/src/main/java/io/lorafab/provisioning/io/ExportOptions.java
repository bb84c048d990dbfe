package io.lorafab.provisioning.io;

import java.util.Objects;
import java.util.Optional;

/**
 * What an export needs besides the devices. Each format uses the options that apply to it and ignores the
 * others:
 *
 * <ul>
 *   <li>{@code frequencyPlanId}: The Things Stack frequency plan for every device (e.g. "EU_863_870"),
 *       overriding the one derived from each device's region (tts-json, tts-csv).
 *   <li>{@code lorawanPhyVersion}: The Things Stack regional-parameters version for every device (e.g.
 *       "RP002_V1_0_3"), overriding the one derived from each device's MAC version (tts-json, tts-csv).
 *   <li>{@code applicationId}: the TTS application ID (tts-json, optional) or the ChirpStack application
 *       UUID (chirpstack-csv, required).
 *   <li>{@code deviceProfileId}: the ChirpStack device-profile UUID (chirpstack-csv, required).
 *   <li>{@code wrapKek}: write root keys RFC 3394-wrapped under this KEK (tts-json, csv); formats that
 *       cannot carry wrapped keys refuse the export rather than write keys in the clear.
 * </ul>
 */
public record ExportOptions(Optional<String> frequencyPlanId, Optional<String> lorawanPhyVersion,
        Optional<String> applicationId, Optional<String> deviceProfileId, Optional<WrapKek> wrapKek) {

    private static final ExportOptions DEFAULTS = new ExportOptions(Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty());

    public ExportOptions {
        Objects.requireNonNull(frequencyPlanId, "frequencyPlanId");
        Objects.requireNonNull(lorawanPhyVersion, "lorawanPhyVersion");
        Objects.requireNonNull(applicationId, "applicationId");
        Objects.requireNonNull(deviceProfileId, "deviceProfileId");
        Objects.requireNonNull(wrapKek, "wrapKek");
    }

    /** No options: frequency plan and PHY version derived per device, no application, keys in the clear. */
    public static ExportOptions defaults() {
        return DEFAULTS;
    }

    public ExportOptions withFrequencyPlanId(String id) {
        return new ExportOptions(Optional.of(text(id, "frequency plan ID")), lorawanPhyVersion, applicationId,
                deviceProfileId, wrapKek);
    }

    public ExportOptions withLorawanPhyVersion(String version) {
        return new ExportOptions(frequencyPlanId, Optional.of(text(version, "LoRaWAN PHY version")), applicationId,
                deviceProfileId, wrapKek);
    }

    public ExportOptions withApplicationId(String id) {
        return new ExportOptions(frequencyPlanId, lorawanPhyVersion, Optional.of(text(id, "application ID")),
                deviceProfileId, wrapKek);
    }

    public ExportOptions withDeviceProfileId(String id) {
        return new ExportOptions(frequencyPlanId, lorawanPhyVersion, applicationId,
                Optional.of(text(id, "device profile ID")), wrapKek);
    }

    public ExportOptions withWrapKek(WrapKek kek) {
        return new ExportOptions(frequencyPlanId, lorawanPhyVersion, applicationId, deviceProfileId,
                Optional.of(Objects.requireNonNull(kek, "kek")));
    }

    private static String text(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
        return value.strip();
    }
}
