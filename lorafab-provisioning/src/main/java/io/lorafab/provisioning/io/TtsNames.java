package io.lorafab.provisioning.io;

import io.lorafab.lorawan.region.Region;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.provisioning.model.DeviceIdentity;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The Things Stack's names for what lorafab knows about a device, shared by tts-json and tts-csv.
 *
 * <ul>
 *   <li>Device ID: {@code eui-<deveui in lower-case hex>}, the ID TTS itself gives a CSV row without an
 *       {@code id} column (lorawan-stack pkg/devicetemplates/ttscsv.go). IDs match
 *       {@code ^[a-z0-9](?:[-]?[a-z0-9]){2,}$}, at most 36 characters.
 *   <li>MAC version: the {@code MACVersion} enum names, {@code MAC_V1_0}, {@code MAC_V1_0_1} ... {@code MAC_V1_0_4},
 *       {@code MAC_V1_1}.
 *   <li>PHY version (the {@code PHYVersion} enum) by default from the MAC version, the regional parameters a
 *       device of that version most often implements: 1.0.0 → PHY_V1_0, 1.0.1 → PHY_V1_0_1, 1.0.2 →
 *       PHY_V1_0_2_REV_B, 1.0.3 → PHY_V1_0_3_REV_A, 1.0.4 → RP002_V1_0_3 (as in TTS's own CSV example), 1.1 →
 *       PHY_V1_1_REV_B. A device's real RP version is a property of its firmware: set
 *       {@link ExportOptions#lorawanPhyVersion()} when it differs.
 *   <li>Frequency plan by default from the region, the plan The Things Network uses in it (lorawan-frequency-plans
 *       frequency-plans.yml): EU868 → EU_863_870_TTN, US915 → US_902_928_FSB_2, AU915 → AU_915_928_FSB_2,
 *       CN470 → CN_470_510_FSB_11, AS923 → AS_923, AS923-2 → AS_923_2, AS923-3 → AS_923_3, AS923-4 →
 *       AS_923_4, IN865 → IN_865_867, KR920 → KR_920_923_TTN. Set {@link ExportOptions#frequencyPlanId()}
 *       for a private network's plan.
 * </ul>
 */
final class TtsNames {

    /** TTS identifiers (device, application): lower-case letters, digits and single dashes, 3 to 36 long. */
    static final Pattern ID = Pattern.compile("^[a-z0-9](?:-?[a-z0-9]){2,}$");
    static final int MAX_ID = 36;
    /** EndDevice.name. */
    static final int MAX_NAME = 50;
    /** EndDevice.description. */
    static final int MAX_DESCRIPTION = 2000;
    /** Values of EndDevice.attributes. */
    static final int MAX_ATTRIBUTE = 200;

    private static final Pattern PHY_VERSION = Pattern.compile(
            "^(PHY_V1_0|PHY_V1_0_1|PHY_V1_0_2_REV_[AB]|PHY_V1_0_3_REV_A|PHY_V1_1_REV_[AB]|RP002_V1_0_[0-9])$");

    private static final Map<String, String> FREQUENCY_PLANS = Map.of(
            "EU868", "EU_863_870_TTN",
            "US915", "US_902_928_FSB_2",
            "AU915", "AU_915_928_FSB_2",
            "CN470", "CN_470_510_FSB_11",
            "AS923", "AS_923",
            "AS923-2", "AS_923_2",
            "AS923-3", "AS_923_3",
            "AS923-4", "AS_923_4",
            "IN865", "IN_865_867",
            "KR920", "KR_920_923_TTN");

    private TtsNames() {
    }

    /** A host name (labels of letters, digits and inner dashes) with an optional port: TTS's join_server_address rule. */
    private static final Pattern HOST_PORT = Pattern.compile(
            "^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\\.)*[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?::[0-9]{1,5})?$");

    /**
     * The device's external join server as TTS's {@code join_server_address} takes it: host[:port]. An address given
     * as a URL is reduced to its host and port (TTS reaches join servers as its interop configuration says; the
     * address names which one).
     */
    static String joinServerAddress(String format, DeviceIdentity d) {
        String a = d.secureElement().joinServer();
        int scheme = a.indexOf("://");
        if (scheme >= 0) {
            a = a.substring(scheme + 3);
        }
        int path = a.indexOf('/');
        if (path >= 0) {
            a = a.substring(0, path);
        }
        if (!HOST_PORT.matcher(a).matches()) {
            throw new ExportException(format + ": device " + d.devEui() + ": the join server address '"
                    + d.secureElement().joinServer() + "' is not host[:port] (or a URL of one), as TTS needs it");
        }
        return a;
    }

    static String deviceId(Eui64 devEui) {
        return "eui-" + devEui;
    }

    static String eui(Eui64 eui) {
        return eui.toString().toUpperCase(Locale.ROOT);
    }

    static String macVersion(MacVersion v) {
        return v == MacVersion.V1_0_0 ? "MAC_V1_0" : "MAC_V" + v.text().replace('.', '_');
    }

    static String phyVersion(String format, MacVersion v, ExportOptions options) {
        if (options.lorawanPhyVersion().isPresent()) {
            String given = options.lorawanPhyVersion().get();
            if (!PHY_VERSION.matcher(given).matches()) {
                throw new ExportException(format + ": '" + given + "' is not a The Things Stack PHY version"
                        + " (e.g. PHY_V1_0_3_REV_A, PHY_V1_1_REV_B, RP002_V1_0_3)");
            }
            return given;
        }
        switch (v) {
            case V1_0_0: return "PHY_V1_0";
            case V1_0_1: return "PHY_V1_0_1";
            case V1_0_2: return "PHY_V1_0_2_REV_B";
            case V1_0_3: return "PHY_V1_0_3_REV_A";
            case V1_0_4: return "RP002_V1_0_3";
            case V1_1: return "PHY_V1_1_REV_B";
            default: throw new IllegalStateException("no PHY version for " + v);
        }
    }

    static String frequencyPlan(String format, DeviceIdentity d, ExportOptions options) {
        if (options.frequencyPlanId().isPresent()) {
            return options.frequencyPlanId().get();
        }
        if (d.region() == null) {
            throw new ExportException(format + ": device " + d.devEui()
                    + " has no region; set a frequency plan ID in the export options");
        }
        Region region = d.region();
        String plan = FREQUENCY_PLANS.get(region.name());
        if (plan == null) {
            throw new ExportException(format + ": no default frequency plan for region " + region.name()
                    + "; set a frequency plan ID in the export options");
        }
        return plan;
    }

    /** Checks a TTS identifier given in the options, e.g. the application ID. */
    static void checkId(String format, String what, String id) {
        if (id.length() > MAX_ID || !ID.matcher(id).matches()) {
            throw new ExportException(format + ": " + what + " '" + id + "' is not a The Things Stack ID (3 to "
                    + MAX_ID + " lower-case letters, digits and single dashes, starting and ending with a letter or digit)");
        }
    }
}
