package io.lorafab.store.model;

import io.lorafab.lorawan.LorawanFormatException;
import io.lorafab.lorawan.types.Eui64;
import java.time.Instant;

/**
 * What an LR11xx-style part reported at end of line about the identity its chip was pre-provisioned with: its globally
 * unique ChipEUI, the Semtech JoinEUI (optional: not every fixture reads it) and the claim PIN.
 *
 * @param stationId the station that recorded it, null if unknown
 * @param recordedAt when it was recorded, null before it is stored
 */
public record ChipIdentity(Eui64 chipEui, Eui64 joinEui, ClaimPin pin, String stationId, Instant recordedAt) {

    public ChipIdentity {
        if (chipEui == null || pin == null) {
            throw new LorawanFormatException("chip identity: ChipEUI and PIN are required");
        }
    }

    @Override
    public String toString() {
        return "ChipIdentity[chipEui=" + chipEui + ", joinEui=" + joinEui + ", pin=redacted, station=" + stationId + "]";
    }
}
