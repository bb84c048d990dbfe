package io.lorafab.station.at;

import java.util.Optional;

/**
 * Outcome of an uplink, and the downlink the module reported while it was sending it (in the uplink's receive windows),
 * if one came before the send was over; one that the module reports later is read with {@link AtDialect#awaitDownlink}.
 */
public record SendResult(Status status, String event, Optional<ReceivedDownlink> downlink) {

    public SendResult(Status status, String event) {
        this(status, event, Optional.empty());
    }

    public enum Status {
        /** Unconfirmed uplink sent. */
        SENT,
        /** Confirmed uplink acknowledged by the network. */
        ACKNOWLEDGED,
        /** Confirmed uplink sent but no acknowledgement received. */
        NOT_ACKNOWLEDGED
    }
}
