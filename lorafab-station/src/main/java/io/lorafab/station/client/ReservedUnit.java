package io.lorafab.station.client;

import io.lorafab.api.model.ReservationView;
import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.MacVersion;
import java.util.List;
import java.util.Optional;

/**
 * What the server handed the station for one unit, with its product's pass thresholds (gateway side, and module side
 * for the test downlink; null: none set) and whether the server runs the TS009 end-of-line profile on it, with the
 * uplink data rates the station steps a module through for the profile's echoes (empty: none) and the firmware
 * version the server holds the unit to (null: not checked); {@code secureElementId} for a unit whose secure element holds
 * its keys (then {@code appKey} is null); {@link #toString()} does not show the keys.
 */
public record ReservedUnit(Eui64 devEui, Eui64 joinEui, AesKey appKey, Optional<AesKey> nwkKey, MacVersion macVersion,
        String region, String serial, String state, boolean resumed, Double rssiMinDbm, Double snrMinDb, Double downlinkRssiMinDbm,
        Double downlinkSnrMinDb, boolean certificationProfile, List<Integer> certificationDataRates,
        String certificationFirmwareVersion, String secureElementId) {

    public ReservedUnit {
        certificationDataRates = certificationDataRates == null ? List.of() : List.copyOf(certificationDataRates);
    }

    /** The server's answer to a reservation (or re-test), its hex strings parsed into the station's value types. */
    public static ReservedUnit of(ReservationView v) {
        return new ReservedUnit(Eui64.parse(v.devEui()), Eui64.parse(v.joinEui()), v.appKey() == null ? null : AesKey.parse(v.appKey()),
                v.nwkKey() == null ? Optional.empty() : Optional.of(AesKey.parse(v.nwkKey())), MacVersion.parse(v.macVersion()),
                v.region(), v.serial(), v.state(), v.resumed(), v.rssiMinDbm(), v.snrMinDb(), v.downlinkRssiMinDbm(),
                v.downlinkSnrMinDb(), v.certificationProfile(), v.certificationDataRates(), v.certificationFirmwareVersion(),
                v.secureElementId());
    }

    /** A unit whose secure element holds its keys: none came (appKey null), none is programmed. */
    public boolean keysHeldBySecureElement() {
        return secureElementId != null;
    }

    @Override
    public String toString() {
        return "ReservedUnit[" + devEui + ", " + macVersion + ", serial=" + serial + ", state=" + state + ", resumed=" + resumed
                + ", keys=redacted]";
    }
}
