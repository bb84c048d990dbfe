package io.lorafab.api;

import io.lorafab.api.model.ReasonView;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every reason code a test run can carry, for people: what it means in plain words, what the operator does next and
 * whether it is the unit's fault. The station console, the line overview's Pareto and the HTTP API explain codes
 * through {@link #explain} alone, so that a screen and a report never word one code two ways.
 *
 * <p>The codes are the station's ({@code io.lorafab.station.line.Reason}, whose table must agree with this one —
 * a station test holds them together). A code that is not here (a newer station, a script calling
 * {@code /finish}) still gets words: the server's refusal text when it is an {@link ErrorCode} word, else the code
 * itself; such a code counts as the unit's fault, as the station counts unknown codes.
 */
public enum FailureReason {
    READBACK_MISMATCH("readback_mismatch", true, Action.RETEST,
            "the identity read back from the module differs from the one written"),
    MODULE_ERROR("module_error", true, Action.REWORK, "the module answered a command with an error"),
    TIMEOUT("timeout", true, Action.RETEST, "the module did not answer in time"),
    UNEXPECTED_RESPONSE("unexpected_response", true, Action.REWORK, "the module answered something unexpected (firmware?)"),
    UNSUPPORTED("unsupported", true, Action.REWORK, "the module cannot hold what the product needs"),
    FLASH_FAILED("flash_failed", true, Action.RETEST, "flashing the board failed"),
    JOIN_NOT_HEARD("join_not_heard", true, Action.RETEST, "no join-request was heard from the unit (radio, antenna)"),
    MIC_MISMATCH("mic_mismatch", true, Action.RETEST, "the unit joined with other keys than the server's"),
    JOIN_REJECTED("join_rejected", true, Action.REWORK, "the server refused the unit's join-request"),
    DEVICE_RX_FAILED("device_rx_failed", true, Action.RETEST, "the join-accept was sent but the unit did not receive it"),
    UPLINK_NOT_VERIFIED("uplink_not_verified", true, Action.RETEST, "the unit joined but its first uplink was not verified"),
    DOWNLINK_NOT_RECEIVED("downlink_not_received", true, Action.RETEST, "the test downlink was sent but the unit did not receive it"),
    DOWNLINK_MISMATCH("downlink_mismatch", true, Action.REWORK, "the unit reported another downlink than the one sent"),
    CERTIFICATION_FAILED("certification_failed", true, Action.REWORK,
            "the unit's firmware failed the TS009 end-of-line profile (versions, echo or downlink count)"),
    RSSI_BELOW_THRESHOLD("rssi_below_threshold", true, Action.REWORK, "signal too weak (RSSI below the product's minimum)"),
    SNR_BELOW_THRESHOLD("snr_below_threshold", true, Action.REWORK, "signal too noisy (SNR below the product's minimum)"),
    DOWNLINK_RSSI_BELOW_THRESHOLD("downlink_rssi_below_threshold", true, Action.REWORK,
            "downlink too weak at the unit (its RSSI below the product's minimum)"),
    DOWNLINK_SNR_BELOW_THRESHOLD("downlink_snr_below_threshold", true, Action.REWORK,
            "downlink too noisy at the unit (its SNR below the product's minimum)"),
    CHIP_EUI_MISMATCH("chip_eui_mismatch", true, Action.REWORK, "the board's chip reported another ChipEUI than the unit's DevEUI"),
    TEST_GATEWAY_FAULT("test_gateway_fault", false, Action.CHECK_STATION,
            "the test gateway did not send the join-accept or the test downlink (not the unit's fault)"),
    JOIN_RATE_LIMITED("join_rate_limited", false, Action.CHECK_STATION, "the server's join rate limit refused the test"),
    IMAGE_ERROR("image_error", false, Action.CHECK_STATION, "the station could not build the unit's firmware image"),
    IDENTITY_UNREADABLE("identity_unreadable", false, Action.CHECK_STATION,
            "the fixture cannot read the identity of a part whose secure element holds it"),
    CHIP_IDENTITY_UNREADABLE("chip_identity_unreadable", false, Action.CHECK_STATION,
            "the station could not read the chip's identity (ChipEUI, PIN) at end of line"),
    SERVER_UNREACHABLE("server_unreachable", false, Action.CHECK_STATION, "the station lost the server during the test"),
    SERVER_REFUSED("server_refused", false, Action.CHECK_STATION, "the server refused a call during the test");

    /** What the operator does next. */
    public enum Action {
        /** Put the unit back on the fixture and test it again. */
        RETEST("re-test"),
        /** Set the unit aside for repair. */
        REWORK("to rework"),
        /** The station, not the unit: check the test gateway, the station and the server. */
        CHECK_STATION("check the test gateway");

        private final String words;

        Action(String words) {
            this.words = words;
        }

        public String words() {
            return words;
        }
    }

    private static final Map<String, FailureReason> BY_CODE = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(FailureReason::code, Function.identity()));

    private final String code;
    private final boolean unitFault;
    private final Action action;
    private final String words;

    FailureReason(String code, boolean unitFault, Action action, String words) {
        this.code = code;
        this.unitFault = unitFault;
        this.action = action;
        this.words = words;
    }

    /** The stable snake_case code recorded with the test run. */
    public String code() {
        return code;
    }

    /** Whether the unit is at fault; false for the test station's faults, which never fail a unit. */
    public boolean unitFault() {
        return unitFault;
    }

    public Action action() {
        return action;
    }

    /** The meaning, in plain words for the operator's screen. */
    public String words() {
        return words;
    }

    public static Optional<FailureReason> of(String code) {
        return Optional.ofNullable(code == null ? null : BY_CODE.get(code));
    }

    /**
     * Any code explained: the catalogue's entry; else the server's text of an {@link ErrorCode} word (a join or
     * uplink refusal the server recorded); else the code itself, marked as not in the catalogue. Null: a failed run
     * that named no reason.
     */
    public static ReasonView explain(String code) {
        if (code == null) {
            return new ReasonView(null, "no reason given", Action.REWORK.name(), Action.REWORK.words(), true);
        }
        Optional<FailureReason> known = of(code);
        if (known.isPresent()) {
            FailureReason r = known.get();
            return new ReasonView(code, r.words, r.action.name(), r.action.words(), r.unitFault);
        }
        String words = ErrorCode.fromCode(code).map(ErrorCode::text)
                .orElse("reason '" + shown(code) + "' (not in lorafab's list of reasons)");
        return new ReasonView(code, words, Action.REWORK.name(), Action.REWORK.words(), true);
    }

    /**
     * The reason of a test run: a run the station recorded as its own fault ({@code STATION_FAULT}) is never the unit's,
     * whatever its code says, and asks for the station to be checked.
     */
    public static ReasonView explain(String code, boolean stationFault) {
        ReasonView r = explain(code);
        return stationFault && r.unitFault()
                ? new ReasonView(r.code(), r.words(), Action.CHECK_STATION.name(), Action.CHECK_STATION.words(), false) : r;
    }

    /** A code as recorded may be anything a client sent: shown cut short, printable characters only. */
    private static String shown(String code) {
        String s = code.replaceAll("[^\\x20-\\x7e]", "?");
        return s.length() > 64 ? s.substring(0, 64) + "..." : s;
    }
}
