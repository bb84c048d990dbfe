package io.lorafab.station.line;

import io.lorafab.lorawan.types.Eui64;
import java.time.Duration;
import java.util.Map;

/**
 * The end of one unit at the station: PASS, or FAIL with a stable snake_case reason ({@code readback_mismatch},
 * {@code module_error}, {@code join_failed}, {@code join_not_heard}, {@code uplink_not_verified},
 * {@code rssi_below_threshold}, {@code snr_below_threshold}, {@code flash_failed}, ...), the measurements recorded with it, and the
 * station's time on the unit.
 */
public record UnitOutcome(Eui64 devEui, String serial, boolean passed, String reasonCode, Map<String, Object> measurements,
        Duration elapsed) {

    /** The one line the operator reads. */
    public String line() {
        return (passed ? "PASS " : "FAIL ") + devEui + (serial == null ? "" : " " + serial)
                + (passed ? "" : "  " + reasonCode) + String.format("  (%.1f s)", elapsed.toMillis() / 1000.0);
    }
}
