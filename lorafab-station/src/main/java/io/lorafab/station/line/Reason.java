package io.lorafab.station.line;

import java.util.Arrays;
import java.util.Optional;

/**
 * Every reason a station gives for a unit that did not pass, whose fault it is, what it means and what the
 * operator does about it: one table, which the FAIL lines, the summaries and the README's table follow. A
 * {@link Fault#BOARD} reason fails the unit; a {@link Fault#TEST_STATION} reason does not: the test run is recorded
 * as a station fault, the unit stays as it was on the server (PROGRAMMED) and is tested again.
 */
public enum Reason {
    READBACK_MISMATCH("readback_mismatch", Fault.BOARD, "the identity read back from the module differs from the one written",
            "re-seat the board and re-program it; if it repeats, scrap the module"),
    MODULE_ERROR("module_error", Fault.BOARD, "the module answered a command with an error, e.g. it rejected its key",
            "check the module's firmware version against the product's; re-program"),
    TIMEOUT("timeout", Fault.BOARD, "the module did not answer a command in time",
            "check the board sits in the fixture and is powered; re-program"),
    UNEXPECTED_RESPONSE("unexpected_response", Fault.BOARD, "the module answered something its AT dialect does not document",
            "check the module's firmware (and the station's --dialect)"),
    UNSUPPORTED("unsupported", Fault.BOARD, "the module cannot hold what the product needs, e.g. a NwkKey",
            "the module's firmware does not fit the product: set the board aside"),
    FLASH_FAILED("flash_failed", Fault.BOARD, "the flasher failed; its exit code and output are in the test record",
            "check the board's programming contacts; re-flash"),
    JOIN_NOT_HEARD("join_not_heard", Fault.BOARD, "the server heard no join-request from the unit: its radio, antenna or range",
            "check the antenna and the board's radio; re-test"),
    MIC_MISMATCH("mic_mismatch", Fault.BOARD, "the server heard the join-request but its MIC does not verify: the board holds other keys",
            "re-program the board (its keys differ from the server's)"),
    JOIN_REJECTED("join_rejected", Fault.BOARD, "the server refused the unit's join-request; its code is in the cause",
            "see the server's code in the cause; re-program or set the board aside"),
    DEVICE_RX_FAILED("device_rx_failed", Fault.BOARD, "the gateway sent the join-accept, but the module never reported joined",
            "check the board's radio receive path and antenna; re-test"),
    UPLINK_NOT_VERIFIED("uplink_not_verified", Fault.BOARD, "the unit joined, but the server did not verify its first uplink",
            "check the board's radio; re-test"),
    DOWNLINK_NOT_RECEIVED("downlink_not_received", Fault.BOARD,
            "the gateway confirmed it sent the test downlink, but the module reported none",
            "check the board's radio receive path and antenna; re-test"),
    DOWNLINK_MISMATCH("downlink_mismatch", Fault.BOARD, "the module reported a downlink other than the test downlink the server sent",
            "check the module's firmware (and the station's --dialect); re-test"),
    CERTIFICATION_FAILED("certification_failed", Fault.BOARD,
            "the unit failed the TS009 end-of-line profile: wrong firmware or LoRaWAN version, a wrong echo, lost downlinks or "
                    + "no answer on FPort 224; the server's step and its code are in the cause",
            "check the firmware image and version against the product's; re-flash and re-test"),
    RSSI_BELOW_THRESHOLD("rssi_below_threshold", Fault.BOARD, "join-request RSSI below the product's minimum",
            "check the antenna and its connector; re-test"),
    SNR_BELOW_THRESHOLD("snr_below_threshold", Fault.BOARD, "join-request SNR below the product's minimum",
            "check the antenna and the fixture's shielding; re-test"),
    DOWNLINK_RSSI_BELOW_THRESHOLD("downlink_rssi_below_threshold", Fault.BOARD,
            "the test downlink's RSSI, as the module measured it, below the product's minimum",
            "check the antenna and its connector; re-test"),
    DOWNLINK_SNR_BELOW_THRESHOLD("downlink_snr_below_threshold", Fault.BOARD,
            "the test downlink's SNR, as the module measured it, below the product's minimum",
            "check the antenna and the fixture's shielding; re-test"),
    CHIP_EUI_MISMATCH("chip_eui_mismatch", Fault.BOARD, "the product uses the chip's EUI as DevEUI, and the board's "
            + "LR11xx-style chip reported another ChipEUI than the unit's DevEUI", "check the label is on its board; set the board aside"),
    TEST_GATEWAY_FAULT("test_gateway_fault", Fault.TEST_STATION,
            "the test gateway refused or never sent a downlink (the join-accept, or the test downlink after the uplink); its TX_ACK error is in the cause",
            "check the test gateway (power, antenna, packet forwarder); the unit stays PROGRAMMED: scan its label to test it again"),
    JOIN_RATE_LIMITED("join_rate_limited", Fault.TEST_STATION, "the server's join rate limit refused the join-request",
            "raise the server's --joins-per-gateway/--joins-per-device for the line; the unit stays PROGRAMMED"),
    IMAGE_ERROR("image_error", Fault.TEST_STATION, "the station could not build this unit's image, e.g. its serial does not fit the identity block",
            "fix the station's image settings; the unit stays RESERVED"),
    IDENTITY_UNREADABLE("identity_unreadable", Fault.TEST_STATION, "the part's secure element holds its identity, and this "
            + "fixture (image mode) cannot read it from the board", "test such parts on a station driving the module over AT "
            + "commands; scan the unit again there"),
    CHIP_IDENTITY_UNREADABLE("chip_identity_unreadable", Fault.TEST_STATION, "the station's --chip-identity command failed "
            + "or printed no well-formed ChipEUI and PIN; the unit passed otherwise", "check the fixture's chip-identity command "
            + "and cable; the unit stays PROGRAMMED: scan its label to test it again"),
    SERVER_UNREACHABLE("server_unreachable", Fault.TEST_STATION, "the station lost the server in the middle of the unit",
            "check the network and the server; scan the unit again to resume it"),
    SERVER_REFUSED("server_refused", Fault.TEST_STATION, "the server refused a call in the middle of the unit; its code is in the line",
            "tell the production engineer; scan the unit again to resume it");

    /** Whose fault a reason is. */
    public enum Fault {
        /** The unit's: it is finished FAILED. */
        BOARD,
        /** The test station's (gateway, server, settings): the unit is not failed. */
        TEST_STATION
    }

    private final String code;
    private final Fault fault;
    private final String meaning;
    private final String action;

    Reason(String code, Fault fault, String meaning, String action) {
        this.code = code;
        this.fault = fault;
        this.meaning = meaning;
        this.action = action;
    }

    /** The stable snake_case code recorded with the test run. */
    public String code() {
        return code;
    }

    public Fault fault() {
        return fault;
    }

    public String meaning() {
        return meaning;
    }

    /** What the operator does next. */
    public String action() {
        return action;
    }

    /** Whether {@code code} is a test-station reason: the unit is not failed for it. Unknown codes are the board's. */
    public static boolean isStationFault(String code) {
        return of(code).map(r -> r.fault == Fault.TEST_STATION).orElse(false);
    }

    public static Optional<Reason> of(String code) {
        return Arrays.stream(values()).filter(r -> r.code.equals(code)).findFirst();
    }
}
