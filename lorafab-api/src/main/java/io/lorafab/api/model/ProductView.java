package io.lorafab.api.model;

import java.util.List;

/**
 * A product. {@code joinEui} and {@code profileId} are hex (16 and 8 digits), {@code profileId} repeats
 * {@code vendorId}/{@code modelId}; {@code netIds} are the NetIDs (6 hex digits) whose network servers may join
 * its devices over Backend Interfaces (empty: any); {@code certificationProfile}: the join server runs the TS009
 * end-of-line profile on its units' test sessions, echoing on each of {@code certificationDataRates} (empty: once, at any
 * data rate) and holding the firmware version to {@code certificationFirmwareVersion} (null: not checked). Times are ISO-8601 instants.
 */
public record ProductView(long id, String name, String joinEui, String macVersion, String region, String profileId, int vendorId,
        int modelId, String programmingProfile, Double rssiMinDbm, Double snrMinDb, String serialTemplate, String createdAt,
        List<String> netIds, Double downlinkRssiMinDbm, Double downlinkSnrMinDb, boolean certificationProfile,
        List<Integer> certificationDataRates, String certificationFirmwareVersion) {
}
