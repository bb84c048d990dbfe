package io.lorafab.provisioning.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lorafab.lorawan.types.AesKey;
import io.lorafab.provisioning.model.DeviceIdentity;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * "tts-json": The Things Stack's JSON end-device format, as read by the Console's "Import end devices"
 * (format "The Things Stack JSON") and by {@code ttn-lw-cli end-devices create --application-id APP <
 * devices.json}.
 *
 * <p>The file is a stream of JSON objects, one {@code ttnpb.EndDevice} per device, written one per line
 * (newline-delimited JSON). That is the multi-device layout TTS documents (TTS docs, Adding Devices in Bulk,
 * JSON File Reference: several objects one after another, which the Console and the CLI read as a JSON
 * stream, object by object). Its reader (lorawan-stack pkg/util/io.NewJSONDecoder, used by
 * pkg/devicetemplates/ttsjson.go) decodes one object after another and drops a single byte before each one
 * that is not '{', so a JSON array may happen to load too; that is undocumented, so lorafab writes the
 * stream.
 *
 * <p>Fields written (names from the EndDevice proto as TTS marshals it, pkg/ttnpb/*_json.pb.go):
 *
 * <ul>
 *   <li>{@code ids.device_id} {@code "eui-<deveui>"}; {@code ids.application_ids.application_id} when an
 *       application ID is given; {@code ids.dev_eui}, {@code ids.join_eui} as upper-case hex.
 *   <li>{@code name} when the device has one (TTS allows at most 50 characters).
 *   <li>the serial number as {@code attributes.serial} (TTS attribute values: at most 200 characters), and
 *       also as {@code serial_number} when it satisfies that newer field's rule (a TTS ID: lower-case
 *       letters, digits, single dashes, at most 36).
 *   <li>{@code lorawan_version} ({@code MAC_V1_0_3}, {@code MAC_V1_1}, ...), {@code lorawan_phy_version},
 *       {@code frequency_plan_id} (see {@link TtsNames}), {@code supports_join: true}.
 *   <li>{@code root_keys.app_key}, and for LoRaWAN 1.1 {@code root_keys.nwk_key}, each a KeyEnvelope: in the
 *       clear {@code {"key": "<32 hex digits>"}}; wrapped {@code {"kek_label": "<label>", "encrypted_key":
 *       "<base64 of the 24-byte RFC 3394 wrapping>"}} (KeyEnvelope marshals {@code key} as hex and
 *       {@code encrypted_key} as proto bytes, that is base64). The Join Server unwraps with the KEK it has
 *       under that label, so the label must be configured there.
 *   <li>A device whose secure element holds its root keys gets no keys: {@code join_server_address} (host[:port] of its
 *       external join server) and {@code root_keys.root_key_id} (the secure element's serial number) instead.
 * </ul>
 */
public final class TtsJsonExport implements DeviceExporter {

    static final String FORMAT = "tts-json";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public byte[] export(List<DeviceIdentity> devices, ExportOptions options) {
        ExportChecks.devices(FORMAT, devices);
        options.applicationId().ifPresent(id -> TtsNames.checkId(FORMAT, "application ID", id));
        StringBuilder out = new StringBuilder();
        for (DeviceIdentity d : devices) {
            try {
                out.append(JSON.writeValueAsString(device(d, options))).append('\n');
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("JSON tree did not serialize", e);
            }
        }
        return ExportChecks.utf8(out.toString());
    }

    @Override
    public boolean carriesWrappedKeys() {
        return true;
    }

    private static ObjectNode device(DeviceIdentity d, ExportOptions options) {
        ExportChecks.maxLength(FORMAT, d, "name", d.name(), TtsNames.MAX_NAME);
        ExportChecks.maxLength(FORMAT, d, "serial number", d.serialNumber(), TtsNames.MAX_ATTRIBUTE);
        ObjectNode dev = JSON.createObjectNode();
        ObjectNode ids = dev.putObject("ids");
        ids.put("device_id", TtsNames.deviceId(d.devEui()));
        options.applicationId().ifPresent(id -> ids.putObject("application_ids").put("application_id", id));
        ids.put("dev_eui", TtsNames.eui(d.devEui()));
        ids.put("join_eui", TtsNames.eui(d.joinEui()));
        if (d.name() != null) {
            dev.put("name", d.name());
        }
        if (d.serialNumber() != null) {
            dev.putObject("attributes").put("serial", d.serialNumber());
            if (d.serialNumber().length() <= TtsNames.MAX_ID && TtsNames.ID.matcher(d.serialNumber()).matches()) {
                dev.put("serial_number", d.serialNumber());
            }
        }
        dev.put("lorawan_version", TtsNames.macVersion(d.macVersion()));
        dev.put("lorawan_phy_version", TtsNames.phyVersion(FORMAT, d.macVersion(), options));
        dev.put("frequency_plan_id", TtsNames.frequencyPlan(FORMAT, d, options));
        dev.put("supports_join", true);
        if (d.keysHeldBySecureElement()) {
            // No root keys: the external join server holds them (The Things Stack requires none for a device whose
            // join server is another, lorawan-stack#5805); root_key_id names the secure element, as The Things Stack's
            // Microchip template does, for the join server to find the device's keys by.
            dev.put("join_server_address", TtsNames.joinServerAddress(FORMAT, d));
            dev.putObject("root_keys").put("root_key_id", d.secureElement().elementId());
            return dev;
        }
        ObjectNode rootKeys = dev.putObject("root_keys");
        rootKeys.set("app_key", envelope(d.appKey(), options.wrapKek()));
        if (d.macVersion().is11()) {
            rootKeys.set("nwk_key", envelope(d.nwkKey(), options.wrapKek()));
        }
        return dev;
    }

    private static ObjectNode envelope(AesKey key, Optional<WrapKek> wrap) {
        ObjectNode env = JSON.createObjectNode();
        if (wrap.isPresent()) {
            env.put("kek_label", wrap.get().label());
            env.put("encrypted_key", Base64.getEncoder().encodeToString(wrap.get().wrap(key)));
        } else {
            env.put("key", key.toHex().toUpperCase(Locale.ROOT));
        }
        return env;
    }
}
