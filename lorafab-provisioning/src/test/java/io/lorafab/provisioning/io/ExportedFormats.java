package io.lorafab.provisioning.io;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lorafab.lorawan.region.Region;
import io.lorafab.lorawan.crypto.KeyWrap;
import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.provisioning.model.DeviceIdentity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Readers for the exported network-server formats, written for the round-trip tests only: they read back
 * what lorafab needs to check (identities and keys) and assert the fixed parts of each format on the way.
 * The tts-json reader is independent of the exporter (a Jackson tree per line); the CSV readers use the
 * package's RFC 4180 reader, which {@code CsvCodecTest} checks against literal text.
 */
final class ExportedFormats {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Frequency plans back to regions, for the plans the exporters derive. */
    private static final Map<String, String> REGION_OF_PLAN = Map.of(
            "EU_863_870_TTN", "EU868", "US_902_928_FSB_2", "US915", "AU_915_928_FSB_2", "AU915",
            "CN_470_510_FSB_11", "CN470", "AS_923", "AS923", "AS_923_2", "AS923-2", "AS_923_3", "AS923-3",
            "AS_923_4", "AS923-4", "IN_865_867", "IN865", "KR_920_923_TTN", "KR920");

    private ExportedFormats() {
    }

    /** The JSON objects of a tts-json file: one per line, each line a complete object, a newline after each. */
    static List<JsonNode> ttsJsonObjects(byte[] file) {
        String text = new String(file, StandardCharsets.UTF_8);
        assertThat(text).endsWith("\n");
        List<JsonNode> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            try {
                JsonNode node = JSON.readTree(line);
                assertThat(node.isObject()).as("each line is one JSON object").isTrue();
                out.add(node);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    /** Devices from a tts-json file; wrapped keys are unwrapped with {@code kek} via {@link KeyWrap#unwrap}. */
    static List<DeviceIdentity> readTtsJson(byte[] file, Optional<WrapKek> kek) {
        List<DeviceIdentity> out = new ArrayList<>();
        for (JsonNode dev : ttsJsonObjects(file)) {
            JsonNode ids = dev.get("ids");
            Eui64 devEui = Eui64.parse(ids.get("dev_eui").asText());
            assertThat(ids.get("device_id").asText()).isEqualTo("eui-" + devEui);
            assertThat(dev.get("supports_join").asBoolean()).isTrue();
            MacVersion mac = MacVersion.parse(dev.get("lorawan_version").asText());
            JsonNode rootKeys = dev.get("root_keys");
            AesKey appKey = envelope(rootKeys.get("app_key"), kek);
            AesKey nwkKey = rootKeys.has("nwk_key") ? envelope(rootKeys.get("nwk_key"), kek) : null;
            out.add(new DeviceIdentity(devEui, Eui64.parse(ids.get("join_eui").asText()), appKey, nwkKey, mac,
                    region(dev.get("frequency_plan_id").asText()), text(dev.path("attributes").get("serial")),
                    text(dev.get("name"))));
        }
        return out;
    }

    /** Devices from a tts-csv file (semicolon-separated); the serial number comes back from the description. */
    static List<DeviceIdentity> readTtsCsv(byte[] file) {
        List<DeviceIdentity> out = new ArrayList<>();
        for (Map<String, String> row : rows(file, ';')) {
            Eui64 devEui = Eui64.parse(row.get("dev_eui"));
            assertThat(row.get("id")).isEqualTo("eui-" + devEui);
            String description = row.get("description");
            String serial = description.isEmpty() ? null : description.substring("serial: ".length());
            String nwk = row.getOrDefault("nwk_key", "");
            out.add(new DeviceIdentity(devEui, Eui64.parse(row.get("join_eui")), AesKey.parse(row.get("app_key")),
                    nwk.isEmpty() ? null : AesKey.parse(nwk), MacVersion.parse(row.get("lorawan_version")),
                    region(row.get("frequency_plan_id")), serial, blankToNull(row.get("name"))));
        }
        return out;
    }

    /**
     * Devices from a chirpstack-csv file. ChirpStack keeps MAC version and region in the device profile, so the
     * caller says what the profile is; keys are placed as device.proto says (1.0.x: AppKey in nwk_key).
     */
    static List<DeviceIdentity> readChirpStackCsv(byte[] file, MacVersion mac, Region region) {
        List<DeviceIdentity> out = new ArrayList<>();
        for (Map<String, String> row : rows(file, ',')) {
            AesKey nwkField = AesKey.parse(row.get("nwk_key"));
            AesKey appField = row.get("app_key").isEmpty() ? null : AesKey.parse(row.get("app_key"));
            AesKey appKey = mac.is11() ? appField : nwkField;
            AesKey nwkKey = mac.is11() ? nwkField : null;
            if (!mac.is11()) {
                assertThat(appField).as("app_key of a 1.0.x device stays empty").isNull();
            }
            out.add(new DeviceIdentity(Eui64.parse(row.get("dev_eui")), Eui64.parse(row.get("join_eui")), appKey,
                    nwkKey, mac, region, blankToNull(row.get("tags.serial")), row.get("name")));
        }
        return out;
    }

    /** Every data row of a CSV file as header → cell, checking that each row is as wide as the header. */
    static List<Map<String, String>> rows(byte[] file, char delimiter) {
        List<CsvRecord> records = CsvReader.read(new String(file, StandardCharsets.UTF_8), delimiter);
        List<String> header = records.get(0).fields();
        List<Map<String, String>> out = new ArrayList<>();
        for (CsvRecord r : records.subList(1, records.size())) {
            assertThat(r.fields()).hasSameSizeAs(header);
            Map<String, String> row = new HashMap<>();
            for (int i = 0; i < header.size(); i++) {
                row.put(header.get(i), r.fields().get(i));
            }
            out.add(row);
        }
        return out;
    }

    private static AesKey envelope(JsonNode env, Optional<WrapKek> kek) {
        if (kek.isEmpty()) {
            assertThat(env.has("encrypted_key")).isFalse();
            String hex = env.get("key").asText();
            assertThat(hex).isEqualTo(hex.toUpperCase(Locale.ROOT));
            return AesKey.parse(hex);
        }
        assertThat(env.has("key")).as("a wrapped key is not also written in the clear").isFalse();
        assertThat(env.get("kek_label").asText()).isEqualTo(kek.get().label());
        byte[] wrapped = Base64.getDecoder().decode(env.get("encrypted_key").asText());
        return AesKey.of(KeyWrap.unwrap(kek.get().kek(), wrapped));
    }

    private static Region region(String frequencyPlan) {
        String region = REGION_OF_PLAN.get(frequencyPlan);
        assertThat(region).as("frequency plan %s", frequencyPlan).isNotNull();
        return Region.byName(region);
    }

    private static String text(JsonNode node) {
        return node == null ? null : node.asText();
    }

    private static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
