package io.lorafab.gateway.semtech;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * The gateway status object ({@code "stat"}) of a PUSH_DATA. Every field is optional.
 *
 * <p>{@code time} is read in the forwarder's "expanded" form {@code 2014-01-12 08:59:28 GMT} (a {@code UTC}
 * suffix and ISO-8601 instants are accepted too) and written in the expanded form, to whole seconds.
 *
 * @param time      {@code time}: gateway system time (UTC), truncated to whole seconds (the wire precision)
 * @param latitude  {@code lati}: degrees, north positive
 * @param longitude {@code long}: degrees, east positive
 * @param altitude  {@code alti}: metres
 * @param rxnb      {@code rxnb}: packets received
 * @param rxok      {@code rxok}: packets received with a valid CRC
 * @param rxfw      {@code rxfw}: packets forwarded
 * @param ackr      {@code ackr}: percentage of upstream datagrams acknowledged
 * @param dwnb      {@code dwnb}: downlink datagrams received
 * @param txnb      {@code txnb}: packets emitted
 */
public record Stat(Optional<Instant> time, Optional<Double> latitude, Optional<Double> longitude,
        Optional<Integer> altitude, Optional<Long> rxnb, Optional<Long> rxok, Optional<Long> rxfw,
        Optional<Double> ackr, Optional<Long> dwnb, Optional<Long> txnb) {

    public Stat {
        time = Limits.present(time, "time").map(t -> t.truncatedTo(ChronoUnit.SECONDS));
        Limits.checkOptRange("latitude", latitude, -90.0, 90.0);
        Limits.checkOptRange("longitude", longitude, -180.0, 180.0);
        Limits.checkOptRange("altitude", altitude, Integer.MIN_VALUE, Integer.MAX_VALUE);
        Limits.checkOptRange("rxnb", rxnb, 0, Limits.UINT32_MAX);
        Limits.checkOptRange("rxok", rxok, 0, Limits.UINT32_MAX);
        Limits.checkOptRange("rxfw", rxfw, 0, Limits.UINT32_MAX);
        Limits.checkOptRange("ackr", ackr, 0.0, 100.0);
        Limits.checkOptRange("dwnb", dwnb, 0, Limits.UINT32_MAX);
        Limits.checkOptRange("txnb", txnb, 0, Limits.UINT32_MAX);
        latitude = Limits.normZero(latitude);
        longitude = Limits.normZero(longitude);
        ackr = Limits.normZero(ackr);
    }

    /** A status with no field set. */
    public static Stat empty() {
        return new Stat(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }
}
