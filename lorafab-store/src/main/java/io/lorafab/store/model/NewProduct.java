package io.lorafab.store.model;

import io.lorafab.lorawan.LorawanFormatException;
import io.lorafab.lorawan.region.Region;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.lorawan.types.ProfileId;
import java.util.List;

/**
 * What an engineer gives to define a product; validated on construction. Without a serial template the product's
 * allocated units get serials from {@link SerialTemplate#DEFAULT_TEXT}.
 */
public record NewProduct(String name, Eui64 joinEui, MacVersion macVersion, Region region, ProfileId profileId,
        String programmingProfile, Double rssiMinDbm, Double snrMinDb, SerialTemplate serialTemplate, Double downlinkRssiMinDbm,
        Double downlinkSnrMinDb, boolean certificationProfile, List<Integer> certificationDataRates,
        String certificationFirmwareVersion) {

    /** Without the certification profile's data rates and firmware version. */
    public NewProduct(String name, Eui64 joinEui, MacVersion macVersion, Region region, ProfileId profileId,
            String programmingProfile, Double rssiMinDbm, Double snrMinDb, SerialTemplate serialTemplate, Double downlinkRssiMinDbm,
            Double downlinkSnrMinDb, boolean certificationProfile) {
        this(name, joinEui, macVersion, region, profileId, programmingProfile, rssiMinDbm, snrMinDb, serialTemplate,
                downlinkRssiMinDbm, downlinkSnrMinDb, certificationProfile, List.of(), null);
    }

    /** Without the certification profile. */
    public NewProduct(String name, Eui64 joinEui, MacVersion macVersion, Region region, ProfileId profileId,
            String programmingProfile, Double rssiMinDbm, Double snrMinDb, SerialTemplate serialTemplate, Double downlinkRssiMinDbm,
            Double downlinkSnrMinDb) {
        this(name, joinEui, macVersion, region, profileId, programmingProfile, rssiMinDbm, snrMinDb, serialTemplate,
                downlinkRssiMinDbm, downlinkSnrMinDb, false);
    }

    public NewProduct(String name, Eui64 joinEui, MacVersion macVersion, Region region, ProfileId profileId,
            String programmingProfile, Double rssiMinDbm, Double snrMinDb) {
        this(name, joinEui, macVersion, region, profileId, programmingProfile, rssiMinDbm, snrMinDb, null);
    }

    /** Without thresholds on the test downlink. */
    public NewProduct(String name, Eui64 joinEui, MacVersion macVersion, Region region, ProfileId profileId,
            String programmingProfile, Double rssiMinDbm, Double snrMinDb, SerialTemplate serialTemplate) {
        this(name, joinEui, macVersion, region, profileId, programmingProfile, rssiMinDbm, snrMinDb, serialTemplate, null, null, false);
    }

    public NewProduct {
        Names.require(name, "product name");
        if (joinEui == null || macVersion == null || region == null || profileId == null) {
            throw new LorawanFormatException("product: JoinEUI, MAC version, region and ProfileID are required");
        }
        serialTemplate = serialTemplate == null ? SerialTemplate.defaultTemplate() : serialTemplate;
        programmingProfile = programmingProfile == null || programmingProfile.isBlank() ? "at:rak3172" : programmingProfile.strip();
        certificationDataRates = certificationDataRates(region, certificationDataRates);
        certificationFirmwareVersion = certificationFirmwareVersion(certificationFirmwareVersion);
        if (!certificationProfile && (!certificationDataRates.isEmpty() || certificationFirmwareVersion != null)) {
            throw new LorawanFormatException("certification data rates and firmware version are checked by the TS009 profile:"
                    + " turn the certification profile on, or leave them empty");
        }
    }

    /**
     * The data rates a unit's echo must pass on: uplink DR indices of {@code region}, each once, in the order given
     * (null: none, one echo at any data rate).
     *
     * @throws LorawanFormatException naming a DR the region does not define for uplink, and the ones it does
     */
    public static List<Integer> certificationDataRates(Region region, List<Integer> dataRates) {
        if (dataRates == null) {
            return List.of();
        }
        java.util.LinkedHashSet<Integer> out = new java.util.LinkedHashSet<>();
        for (Integer dr : dataRates) {
            if (dr == null || !region.isUplinkDataRate(dr)) {
                throw new LorawanFormatException("DR" + dr + " is not an uplink data rate of " + region.name() + " (uplink: "
                        + uplinkDataRates(region) + ")");
            }
            out.add(dr);
        }
        return List.copyOf(out);
    }

    /** The region's uplink DR indices, as "DR0..DR5, DR6" reads for a person. */
    private static String uplinkDataRates(Region region) {
        StringBuilder sb = new StringBuilder();
        for (int dr = 0; dr < 16; dr++) {
            if (region.isUplinkDataRate(dr)) {
                sb.append(sb.length() == 0 ? "" : ", ").append("DR").append(dr);
            }
        }
        return sb.toString();
    }

    /**
     * The firmware version a unit must report, stripped ({@code 1.4.2} or {@code 1.4.2.7}); null or blank: not checked.
     *
     * @throws LorawanFormatException when it is not major.minor.patch[.revision] with parts 0..255
     */
    public static String certificationFirmwareVersion(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        io.lorafab.lorawan.cert.Ts009.Version.parse(text); // kept as given: a fourth part asks for the revision to be compared
        return text.strip();
    }
}
