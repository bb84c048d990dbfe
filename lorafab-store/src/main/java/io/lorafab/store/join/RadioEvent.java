package io.lorafab.store.join;

import io.lorafab.lorawan.types.Eui64;
import java.time.Instant;

/**
 * Something the join server saw on air, refused or sent: {@code kind} is join_accepted, join_rejected,
 * join_accept_sent, join_accept_not_sent (its {@code details} name the gateway's TX_ACK answer per window),
 * uplink_verified or uplink_rejected; {@code code} a stable snake_case reason for rejections; radio metadata of
 * the best gateway; {@code details} a JSON object.
 */
public record RadioEvent(long id, Instant at, Eui64 devEui, String kind, String code, Eui64 gatewayEui, Integer rssi,
        Double snr, Long frequencyHz, String datr, String details) {

    /** An event to record (id and time are assigned by the store). */
    public static RadioEvent of(Eui64 devEui, String kind, String code, Eui64 gatewayEui, Integer rssi, Double snr,
            Long frequencyHz, String datr, String details) {
        return new RadioEvent(0, null, devEui, kind, code, gatewayEui, rssi, snr, frequencyHz, datr, details);
    }
}
