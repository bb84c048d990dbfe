package io.lorafab.station.at;

/** Outcome of an uplink. */
public record SendResult(Status status, String event) {

    public enum Status {
        /** Unconfirmed uplink sent. */
        SENT,
        /** Confirmed uplink acknowledged by the network. */
        ACKNOWLEDGED,
        /** Confirmed uplink sent but no acknowledgement received. */
        NOT_ACKNOWLEDGED
    }
}
