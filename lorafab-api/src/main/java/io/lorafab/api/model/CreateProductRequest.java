package io.lorafab.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * {@code POST /api/products}. The device profile is {@code profileId} (8 hex digits) or else
 * {@code vendorId} and {@code modelId}; {@code netIds} null leaves the product open to any NetID. The thresholds (null:
 * not checked) hold the join-request as the gateway heard it and the test downlink as the module measured it;
 * {@code certificationProfile} true runs the TS009 end-of-line profile on its units (null: false), echoing on each of
 * {@code certificationDataRates} (uplink DR indices of the region; null or empty: one echo at any data rate) and holding
 * the units' firmware version to {@code certificationFirmwareVersion} ("1.4.2", or "1.4.2.7" to compare the revision;
 * null: not checked); both need the profile.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CreateProductRequest(@Required String name, @Required String joinEui, @Required String macVersion,
        @Required String region, String profileId, Integer vendorId, Integer modelId, String programmingProfile,
        Double rssiMinDbm, Double snrMinDb, String serialTemplate, List<String> netIds, Double downlinkRssiMinDbm,
        Double downlinkSnrMinDb, Boolean certificationProfile, List<Integer> certificationDataRates,
        String certificationFirmwareVersion) {

    /** Without the certification profile's data rates and firmware version. */
    public CreateProductRequest(String name, String joinEui, String macVersion, String region, String profileId, Integer vendorId,
            Integer modelId, String programmingProfile, Double rssiMinDbm, Double snrMinDb, String serialTemplate,
            List<String> netIds, Double downlinkRssiMinDbm, Double downlinkSnrMinDb, Boolean certificationProfile) {
        this(name, joinEui, macVersion, region, profileId, vendorId, modelId, programmingProfile, rssiMinDbm, snrMinDb,
                serialTemplate, netIds, downlinkRssiMinDbm, downlinkSnrMinDb, certificationProfile, null, null);
    }

    /** Without the certification profile. */
    public CreateProductRequest(String name, String joinEui, String macVersion, String region, String profileId, Integer vendorId,
            Integer modelId, String programmingProfile, Double rssiMinDbm, Double snrMinDb, String serialTemplate,
            List<String> netIds, Double downlinkRssiMinDbm, Double downlinkSnrMinDb) {
        this(name, joinEui, macVersion, region, profileId, vendorId, modelId, programmingProfile, rssiMinDbm, snrMinDb,
                serialTemplate, netIds, downlinkRssiMinDbm, downlinkSnrMinDb, null);
    }

    /** Without thresholds on the test downlink. */
    public CreateProductRequest(String name, String joinEui, String macVersion, String region, String profileId, Integer vendorId,
            Integer modelId, String programmingProfile, Double rssiMinDbm, Double snrMinDb, String serialTemplate,
            List<String> netIds) {
        this(name, joinEui, macVersion, region, profileId, vendorId, modelId, programmingProfile, rssiMinDbm, snrMinDb,
                serialTemplate, netIds, null, null);
    }
}
