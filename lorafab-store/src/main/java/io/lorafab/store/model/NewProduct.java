package io.lorafab.store.model;

import io.lorafab.lorawan.LorawanFormatException;
import io.lorafab.lorawan.region.Region;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.lorawan.types.ProfileId;

/**
 * What an engineer gives to define a product; validated on construction. Without a serial template the product's
 * allocated units get serials from {@link SerialTemplate#DEFAULT_TEXT}.
 */
public record NewProduct(String name, Eui64 joinEui, MacVersion macVersion, Region region, ProfileId profileId,
        String programmingProfile, Double rssiMinDbm, Double snrMinDb, SerialTemplate serialTemplate, Double downlinkRssiMinDbm,
        Double downlinkSnrMinDb, boolean certificationProfile) {

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
    }
}
