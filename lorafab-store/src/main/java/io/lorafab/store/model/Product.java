package io.lorafab.store.model;

import io.lorafab.lorawan.region.Region;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.lorawan.types.ProfileId;
import java.time.Instant;

/**
 * A product the maker builds: its JoinEUI, LoRaWAN MAC version, region, TR005 ProfileID, how its units are
 * programmed, the radio thresholds its end-of-line test applies (null = not checked), and how its allocated
 * units' serial numbers are made.
 */
public record Product(long id, String name, Eui64 joinEui, MacVersion macVersion, Region region, ProfileId profileId,
        String programmingProfile, Double rssiMinDbm, Double snrMinDb, Instant createdAt, SerialTemplate serialTemplate) {
}
