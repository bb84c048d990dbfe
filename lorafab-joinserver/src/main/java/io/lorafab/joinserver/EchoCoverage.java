package io.lorafab.joinserver;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which of a product's certification data rates have a passing {@code EchoPayloadReq} yet: the echo step of the TS009
 * profile ({@link CertificationProfile}) sends the request in the receive windows of an uplink at a listed data rate
 * not yet echoed, and passes over an uplink at any other data rate (unlisted, or echoed already) without sending
 * anything, so such an uplink is never an answer missing. Pure: no I/O, no clock.
 *
 * <p>An empty list keeps the single echo on whatever data rate the first uplink after the versions has. The device
 * must step the data rates itself (a station driving an AT module sets them; a board on its own firmware must do it):
 * after {@link #SKIPS_ALLOWED} uplinks in a row that bring no listed data rate still to echo, the step ends with the
 * data rates not covered named ({@link #missing()}).
 */
final class EchoCoverage {

    /**
     * Uplinks in a row at a data rate the profile cannot use before it gives up: a firmware stepping through all of a
     * region's uplink data rates (EU868: DR0..DR5 and more) comes back to a listed one within this many, and a station
     * driving a module (its budget is {@code CERTIFICATION_UPLINKS} plus the list's length) still sees the outcome.
     */
    static final int SKIPS_ALLOWED = 6;

    private final List<Integer> listed;
    private final Set<Integer> echoed = new LinkedHashSet<>();
    private final List<Integer> seen = new ArrayList<>();
    private boolean single; // the one echo of an empty list passed
    private int skippedInARow;

    EchoCoverage(List<Integer> dataRates) {
        this.listed = List.copyOf(new LinkedHashSet<>(dataRates));
    }

    /** Whether an echo is to go out in the windows of an uplink at {@code uplinkDr}. */
    boolean wants(int uplinkDr) {
        if (complete()) {
            return false;
        }
        return listed.isEmpty() || listed.contains(uplinkDr) && !echoed.contains(uplinkDr);
    }

    /** An uplink at {@code uplinkDr} the profile passed over; true once {@link #SKIPS_ALLOWED} came in a row. */
    boolean skipped(int uplinkDr) {
        seen.add(uplinkDr);
        return ++skippedInARow >= SKIPS_ALLOWED;
    }

    /** The echo sent at {@code uplinkDr} came back right. */
    void passed(int uplinkDr) {
        skippedInARow = 0;
        seen.add(uplinkDr);
        if (listed.isEmpty()) {
            single = true;
        } else {
            echoed.add(uplinkDr);
        }
    }

    /** Whether every listed data rate (or, for an empty list, the one echo) has passed. */
    boolean complete() {
        return listed.isEmpty() ? single : echoed.containsAll(listed);
    }

    /** The listed data rates without a passing echo, in the list's order. */
    List<Integer> missing() {
        return listed.stream().filter(dr -> !echoed.contains(dr)).toList();
    }

    /** The listed data rates, each once, in the list's order. */
    List<Integer> listed() {
        return listed;
    }

    /** The data rates of the uplinks the echo step saw (sent on or passed over), in order. */
    List<Integer> seen() {
        return List.copyOf(seen);
    }
}
