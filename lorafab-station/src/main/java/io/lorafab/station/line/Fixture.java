package io.lorafab.station.line;

import io.lorafab.station.at.Identity;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What holds the board at the station and gets it programmed and on air: the part of {@link UnitRunner} that
 * differs between a module driven over AT commands ({@link AtFixture}) and a board flashed with a firmware
 * image carrying its identity block ({@link ImageFixture}). Reservation, radio events, thresholds and the
 * result stay in the runner. Every step reports what it measured and, when it failed, a stable snake_case
 * reason; none of them puts key material into its measurements.
 */
public interface Fixture {

    /** One step's result: ok, or failed with {@code reasonCode}; its measurements either way (never keys). */
    record Step(boolean ok, String reasonCode, Map<String, Object> measurements) {
        public Step {
            measurements = new LinkedHashMap<>(measurements);
        }

        public static Step done(Map<String, Object> measurements) {
            return new Step(true, null, measurements);
        }

        public static Step failed(String reasonCode, Map<String, Object> measurements) {
            return new Step(false, reasonCode, measurements);
        }
    }

    /**
     * Reads the identity the board reports without writing anything: for a part whose secure element holds its
     * identity and keys. Measurements {@code module}, {@code reportedDevEui} and {@code reportedJoinEui} (hex); a fixture
     * that cannot read a board's identity fails with {@link #IDENTITY_UNREADABLE}.
     */
    default Step readIdentity() {
        return Step.failed(IDENTITY_UNREADABLE, java.util.Map.of("identityUnreadable", "this fixture cannot read a board's identity"));
    }

    /** The {@link #readIdentity} step's code when the fixture cannot read the board's identity ({@link Reason#IDENTITY_UNREADABLE}). */
    String IDENTITY_UNREADABLE = "identity_unreadable";

    /**
     * The identity an LR11xx-style chip on the board was pre-provisioned with (ChipEUI, Semtech JoinEUI, claim PIN), when
     * the board reports it to the fixture itself: the hook for a driver whose module could tell it. None of the AT
     * dialects is such a part, so by default it is not reported (empty); the station's {@code --chip-identity} command
     * ({@link ChipIdentityCommand}) reports it for any fixture. A report that cannot be read throws
     * {@link ChipIdentityReport.MalformedException}.
     */
    default java.util.Optional<ChipIdentityReport> chipIdentity() {
        return java.util.Optional.empty();
    }

    /** Writes the unit's identity and keys into the board and checks them where the board allows it. */
    Step program(Identity identity, String serial);

    /**
     * {@link #program}, telling {@code readingBack} when the identity is written and its check begins (for the
     * station's screen); a fixture that cannot tell the two apart (a flasher verifies by itself) never calls it.
     */
    default Step program(Identity identity, String serial, Runnable readingBack) {
        return program(identity, serial);
    }

    /**
     * Whether the programmed board joins and sends its first uplink by itself (firmware started by the
     * flasher's reset), so that the station only listens: the server may hear the join while {@link #program}
     * is still running, and {@link #join} and {@link #sendUplink} have nothing to do.
     */
    boolean joinsByItself();

    /**
     * The {@link #join} step's code when the board says it did not join. It is never a unit's reason: the runner
     * decides that from what the server recorded ({@link ServerEvidence}).
     */
    String NOT_JOINED = "not_joined";

    /** Makes the board join; returns once the board says it has (or has given up, then failing with {@link #NOT_JOINED}). */
    Step join(Duration timeout);

    /** Makes the joined board send the test uplink. */
    Step sendUplink(int port, byte[] payload, Duration timeout);

    /**
     * Makes the joined board send its next uplinks at data rate {@code dr} of its region (ADR off), for the TS009 echo on
     * each of the product's data rates: measurement {@code dataRate}; a module that refuses fails with its own reason
     * ({@code module_error}, {@code timeout}). Only for a fixture that does not {@link #joinsByItself()}: a board on its
     * own firmware steps its data rates itself.
     */
    default Step setDataRate(int dr) {
        throw new UnsupportedOperationException(this + " cannot set the board's data rate");
    }

    /**
     * Whether the board tells the station which downlink it received (a module over AT commands does); a board that
     * runs its own firmware does not, and its two-way test is left out.
     */
    default boolean reportsDownlinks() {
        return false;
    }

    /** The {@link #receiveDownlink} step's code when the board reported no downlink; the runner decides whose fault. */
    String NO_DOWNLINK = "no_downlink";

    /**
     * The downlink the board received in the test uplink's receive windows, waiting up to {@code timeout} for its report:
     * measurements {@code downlinkPort}, {@code downlinkPayload} (hex) and, where the module reports them,
     * {@code downlinkWindow}, {@code downlinkRssi}, {@code downlinkSnr}; failed with {@link #NO_DOWNLINK} when it reported
     * none. Only for a fixture that {@link #reportsDownlinks()}.
     */
    default Step receiveDownlink(Duration timeout) {
        throw new UnsupportedOperationException(this + " does not report downlinks");
    }
}
