package io.lorafab.api.model;

/**
 * A reason code explained for people ({@link io.lorafab.api.FailureReason#explain}): {@code words} what it means,
 * {@code action} RETEST, REWORK or CHECK_STATION with {@code actionWords} ("re-test", "to rework", "check the test
 * gateway"), {@code unitFault} false for a fault of the test station; {@code code} null when the run named none.
 */
public record ReasonView(String code, String words, String action, String actionWords, boolean unitFault) {
}
