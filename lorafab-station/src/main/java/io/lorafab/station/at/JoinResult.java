package io.lorafab.station.at;

/** Outcome of an OTAA join: {@code joined}, and the module's final event line. */
public record JoinResult(boolean joined, String event) {
}
