package io.lorafab.station.line;

import io.lorafab.lorawan.types.Eui64;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The end of one unit at the station: PASS; FAIL with a board {@link Reason} ({@code module_error},
 * {@code join_not_heard}, {@code device_rx_failed}, ...); or STATION_FAULT with a test-station reason
 * ({@code test_gateway_fault}, ...), which does not fail the unit. With it the measurements of the last test run, the
 * station's time on the unit, and the reasons of the test runs the station had to repeat because of its own fault.
 */
public record UnitOutcome(Eui64 devEui, String serial, Verdict verdict, String reasonCode, Map<String, Object> measurements,
        Duration elapsed, List<String> stationFaults) {

    /** What the last test run found. */
    public enum Verdict {
        PASSED, FAILED,
        /** The test station failed (twice): the unit stays PROGRAMMED on the server, to be tested again. */
        STATION_FAULT
    }

    public UnitOutcome {
        stationFaults = List.copyOf(stationFaults);
    }

    /** A unit tested once: passed, or failed with {@code reasonCode}. */
    public UnitOutcome(Eui64 devEui, String serial, boolean passed, String reasonCode, Map<String, Object> measurements, Duration elapsed) {
        this(devEui, serial, passed ? Verdict.PASSED : Verdict.FAILED, reasonCode, measurements, elapsed, List.of());
    }

    public boolean passed() {
        return verdict == Verdict.PASSED;
    }

    public boolean stationFault() {
        return verdict == Verdict.STATION_FAULT;
    }

    /** The one line the operator reads (reason codes only; {@link FailureReport#line} adds the causes). */
    public String line() {
        String head = switch (verdict) {
            case PASSED -> "PASS ";
            case FAILED -> "FAIL ";
            case STATION_FAULT -> "STATION FAULT ";
        };
        return head + devEui + (serial == null ? "" : " " + serial) + (passed() ? "" : "  " + reasonCode)
                + String.format(java.util.Locale.ROOT, "  (%.1f s)", elapsed.toMillis() / 1000.0);
    }
}
