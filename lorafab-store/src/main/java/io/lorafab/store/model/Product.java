package io.lorafab.store.model;

import io.lorafab.lorawan.region.Region;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.lorawan.types.ProfileId;
import java.time.Instant;
import java.util.List;

/**
 * A product the maker builds: its JoinEUI, LoRaWAN MAC version, region, TR005 ProfileID, how its units are
 * programmed, the radio thresholds its end-of-line test applies (null = not checked): on the join-request as the gateway
 * heard it ({@code rssiMinDbm}, {@code snrMinDb}) and on the test downlink as the module measured it
 * ({@code downlinkRssiMinDbm}, {@code downlinkSnrMinDb}); how its allocated units' serial numbers are made; and whether
 * the join server runs the TS009 end-of-line profile on each unit's test session ({@code certificationProfile}: its
 * firmware implements the LoRaWAN certification protocol on FPort 224), with the uplink data rates its echo must pass
 * on ({@code certificationDataRates}, empty: one echo at any) and the firmware version its units must report
 * ({@code certificationFirmwareVersion}, null: not checked).
 */
public record Product(long id, String name, Eui64 joinEui, MacVersion macVersion, Region region, ProfileId profileId,
        String programmingProfile, Double rssiMinDbm, Double snrMinDb, Instant createdAt, SerialTemplate serialTemplate,
        Double downlinkRssiMinDbm, Double downlinkSnrMinDb, boolean certificationProfile, List<Integer> certificationDataRates,
        String certificationFirmwareVersion) {

    public Product {
        certificationDataRates = certificationDataRates == null ? List.of() : List.copyOf(certificationDataRates);
    }

    /** Without the certification profile's data rates and firmware version. */
    public Product(long id, String name, Eui64 joinEui, MacVersion macVersion, Region region, ProfileId profileId,
            String programmingProfile, Double rssiMinDbm, Double snrMinDb, Instant createdAt, SerialTemplate serialTemplate,
            Double downlinkRssiMinDbm, Double downlinkSnrMinDb, boolean certificationProfile) {
        this(id, name, joinEui, macVersion, region, profileId, programmingProfile, rssiMinDbm, snrMinDb, createdAt, serialTemplate,
                downlinkRssiMinDbm, downlinkSnrMinDb, certificationProfile, List.of(), null);
    }

    /** Without the certification profile. */
    public Product(long id, String name, Eui64 joinEui, MacVersion macVersion, Region region, ProfileId profileId,
            String programmingProfile, Double rssiMinDbm, Double snrMinDb, Instant createdAt, SerialTemplate serialTemplate,
            Double downlinkRssiMinDbm, Double downlinkSnrMinDb) {
        this(id, name, joinEui, macVersion, region, profileId, programmingProfile, rssiMinDbm, snrMinDb, createdAt, serialTemplate,
                downlinkRssiMinDbm, downlinkSnrMinDb, false);
    }

    /** Without thresholds on the test downlink. */
    public Product(long id, String name, Eui64 joinEui, MacVersion macVersion, Region region, ProfileId profileId,
            String programmingProfile, Double rssiMinDbm, Double snrMinDb, Instant createdAt, SerialTemplate serialTemplate) {
        this(id, name, joinEui, macVersion, region, profileId, programmingProfile, rssiMinDbm, snrMinDb, createdAt, serialTemplate,
                null, null, false);
    }
}
