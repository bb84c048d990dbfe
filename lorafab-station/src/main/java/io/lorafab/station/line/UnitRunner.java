package io.lorafab.station.line;

import com.fasterxml.jackson.databind.JsonNode;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.station.at.AtException;
import io.lorafab.station.at.Identity;
import io.lorafab.station.client.ReservedUnit;
import io.lorafab.station.client.StationApiClient;
import io.lorafab.station.client.StationApiException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * One unit through the station: reserve (keys arrive only once the server has committed them) → program the
 * board through its {@link Fixture} (an AT module written and read back, or an image flashed) → report
 * PROGRAMMED → over-the-air test (the board joins; the server must accept the join and verify the first
 * uplink; a module must report the test downlink the server answers it with) → radio thresholds → finish PASSED or
 * FAILED with a reason and the measurements. Where the board did not join or was not heard, or a module reported no
 * test downlink, whose fault it is comes from what the server recorded ({@link ServerEvidence}); a fault of
 * the test station is recorded as such, does not fail the unit, and is tested again once. A unit whose keys were
 * written but whose result never reached the server stays PROGRAMMED (or RESERVED) on the server, with its keys, and
 * is resumed by scanning its label again.
 */
public final class UnitRunner {

    /**
     * Station settings for one work order. {@code rssiMinDbm}/{@code snrMinDb} override the product's pass
     * thresholds that come with each reserved unit; null keeps the product's.
     */
    public record Settings(String workOrder, Duration joinTimeout, Duration uplinkTimeout, Double rssiMinDbm, Double snrMinDb,
            byte[] testPayload, Duration downlinkTimeout, Double downlinkRssiMinDbm, Double downlinkSnrMinDb) {

        /**
         * With the default wait for the module's downlink report ({@link #DOWNLINK_TIMEOUT}) and the product's downlink
         * thresholds.
         */
        public Settings(String workOrder, Duration joinTimeout, Duration uplinkTimeout, Double rssiMinDbm, Double snrMinDb,
                byte[] testPayload) {
            this(workOrder, joinTimeout, uplinkTimeout, rssiMinDbm, snrMinDb, testPayload, DOWNLINK_TIMEOUT, null, null);
        }
    }

    /**
     * How long the station waits, once the module has sent its uplink, for the module's report of the test downlink: the
     * last receive window (RX2) opens 2 s after the uplink; the rest is for the module and the serial line.
     */
    public static final Duration DOWNLINK_TIMEOUT = Duration.ofSeconds(5);

    private final StationApiClient server;
    private final Settings settings;
    private final LongSupplier nanoTime;

    private final ChipIdentityCommand chipIdentity;

    public UnitRunner(StationApiClient server, Settings settings, LongSupplier nanoTime) {
        this(server, settings, nanoTime, null);
    }

    /**
     * @param chipIdentity the station's {@code --chip-identity} command, run at the end of every unit that passed; null:
     *     only a fixture that reports the chip identity itself ({@link Fixture#chipIdentity()}) has one recorded
     */
    public UnitRunner(StationApiClient server, Settings settings, LongSupplier nanoTime, ChipIdentityCommand chipIdentity) {
        this.server = server;
        this.settings = settings;
        this.nanoTime = nanoTime;
        this.chipIdentity = chipIdentity;
    }

    /**
     * Runs one unit on {@code fixture}; {@code scanned} is the label read by the scanner, or null to allocate the
     * next identity. A refused or failed reservation throws the server's {@link StationApiException} (nothing was
     * reserved); a server call that fails later throws {@link ServerFailure}; a serial port that has gone under the
     * fixture throws {@link PortGone}. After either, the unit is not finished.
     */
    public UnitOutcome run(Fixture fixture, String scanned) {
        long t0 = nanoTime.getAsLong();
        server.stepBegun(null, "reserve");
        ReservedUnit unit = server.reserve(settings.workOrder(), scanned);
        try {
            return test(fixture, unit, t0);
        } catch (StationApiException e) {
            throw new ServerFailure(unit.devEui(), unit.serial(), e);
        } catch (AtException e) {
            if (e.code() != AtException.Code.PORT_UNAVAILABLE) {
                throw e;
            }
            throw new PortGone(unit.devEui(), unit.serial(), e);
        }
    }

    /** A unit the runner had to leave unfinished on the server, with the DevEUI and serial to name it by. */
    public abstract static sealed class Unfinished extends RuntimeException permits PortGone, ServerFailure {
        private static final long serialVersionUID = 1L;
        private final transient Eui64 devEui;
        private final String serial;

        Unfinished(Eui64 devEui, String serial, Exception cause) {
            super("unit " + devEui + ": " + cause.getMessage(), cause);
            this.devEui = devEui;
            this.serial = serial;
        }

        public Eui64 devEui() {
            return devEui;
        }

        public String serial() {
            return serial;
        }
    }

    /**
     * The fixture's serial port went away in the middle of a unit (adapter unplugged, cable pulled): no fault of the
     * unit, so it is not finished; the server keeps it RESERVED or PROGRAMMED, with the keys it may already have in
     * the module, for the next start of the station to resume or void.
     */
    public static final class PortGone extends Unfinished {
        private static final long serialVersionUID = 1L;

        PortGone(Eui64 devEui, String serial, AtException cause) {
            super(devEui, serial, cause);
        }

        /** The driver's {@code port_unavailable} failure (its message never holds a key). */
        public AtException port() {
            return (AtException) getCause();
        }
    }

    /**
     * A server call failed after the unit was reserved (server down, a timeout, a refusal): the unit stays on the
     * server as the last successful call left it (RESERVED or PROGRAMMED, with its keys), to be resumed by scanning
     * its label again.
     */
    public static final class ServerFailure extends Unfinished {
        private static final long serialVersionUID = 1L;

        ServerFailure(Eui64 devEui, String serial, StationApiException cause) {
            super(devEui, serial, cause);
        }

        /** The server's refusal or the transport failure. */
        public StationApiException server() {
            return (StationApiException) getCause();
        }
    }

    /**
     * Programs the unit and tests it over the air. A test the station itself spoiled ({@link Reason.Fault#TEST_STATION}:
     * the test gateway refused the join-accept, ...) is recorded as a station fault and repeated once at once — same
     * unit, same keys, no new reservation; a second station fault is left to the operator, the unit staying PROGRAMMED.
     */
    private UnitOutcome test(Fixture fixture, ReservedUnit unit, long t0) {
        if (unit.keysHeldBySecureElement()) {
            return secureElement(fixture, unit, t0);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("resumed", unit.resumed());
        Identity identity = new Identity(unit.devEui(), unit.joinEui(), unit.appKey(), unit.nwkKey());
        // Taken before programming: a board that joins by itself may be heard while the flasher is still running.
        long after = server.lastEventId(unit.devEui());
        server.stepBegun(unit.devEui(), "program");
        Fixture.Step programmed = fixture.program(identity, unit.serial(), () -> server.stepBegun(unit.devEui(), "read_back"));
        m.putAll(programmed.measurements());
        if (!programmed.ok()) {
            return finish(unit, programmed.reasonCode(), m, t0, List.of());
        }
        server.programmed(unit.devEui());
        Map<String, Object> base = new LinkedHashMap<>(m);
        String reason = overTheAir(fixture, unit, after, m);
        List<String> faults = new ArrayList<>();
        while (reason != null && Reason.isStationFault(reason) && faults.size() < STATION_FAULT_RETESTS) {
            finish(unit, reason, m, t0, faults); // recorded as a station fault: the unit stays PROGRAMMED
            faults.add(reason);
            m = new LinkedHashMap<>(base);
            m.put("retestAfter", reason);
            pauseBeforeRetest(m);
            after = server.lastEventId(unit.devEui());
            if (fixture.joinsByItself()) {
                // a board that joins by itself joins again after the flasher's reset
                Fixture.Step again = fixture.program(identity, unit.serial());
                m.putAll(again.measurements());
                if (!again.ok()) {
                    return finish(unit, again.reasonCode(), m, t0, faults);
                }
            }
            reason = overTheAir(fixture, unit, after, m);
        }
        return finish(unit, endOfLine(fixture, unit, reason, m), m, t0, faults);
    }

    /**
     * For a unit that passed ({@code reason} null): the identity its LR11xx-style chip was pre-provisioned with, from
     * the station's chip-identity command or else the fixture, recorded on the server for claiming the unit on the
     * vendor's join service. Measurements {@code chipEui}, {@code chipJoinEui}, {@code chipIdentity} ({@code recorded})
     * or {@code chipIdentityError} — never the PIN, never the command's output. Returns the unit's reason: unchanged when
     * it had one or nothing was reported; {@link Reason#CHIP_IDENTITY_UNREADABLE} (the station's) when the report could
     * not be read; {@link Reason#CHIP_EUI_MISMATCH} (the board's) when the chip's EUI must be the DevEUI and is not. A
     * server that refuses the record (another unit reported that ChipEUI) leaves the unit unfinished, like any refusal.
     */
    private String endOfLine(Fixture fixture, ReservedUnit unit, String reason, Map<String, Object> m) {
        if (reason != null) {
            return reason;
        }
        Optional<ChipIdentityReport> report;
        try {
            report = chipIdentity != null ? Optional.of(chipIdentity.read(unit.devEui(), unit.serial())) : fixture.chipIdentity();
        } catch (ChipIdentityReport.MalformedException e) {
            m.put("chipIdentityError", e.getMessage());
            return Reason.CHIP_IDENTITY_UNREADABLE.code();
        }
        if (report.isEmpty()) {
            return null;
        }
        ChipIdentityReport chip = report.get();
        m.put("chipEui", chip.chipEui().toString());
        if (chip.joinEui() != null) {
            m.put("chipJoinEui", chip.joinEui().toString());
        }
        if (chipIdentity != null && chipIdentity.chipEuiIsDevEui() && !chip.chipEui().equals(unit.devEui())) {
            return Reason.CHIP_EUI_MISMATCH.code();
        }
        server.chipIdentity(unit.devEui(), chip.chipEui(), chip.joinEui(), chip.pin());
        m.put("chipIdentity", "recorded");
        return null;
    }

    /** The join server's code for a join-request of a unit whose secure element holds its keys. */
    static final String KEYS_ON_SECURE_ELEMENT = "keys_on_secure_element";

    /**
     * A part whose secure element holds its identity and keys (imported from its manifest): nothing is programmed. The
     * DevEUI the module reports must be the reserved one — the label scanned, which the manifest named — and so must its
     * JoinEUI; then the board joins, and the join-request the server heard from it is the over-the-air evidence: its
     * identity and radio (RSSI, SNR against the product's thresholds). The MIC is not checked, for lorafab has no key
     * to check it with, and no join-accept comes (the device's own join server would answer it): the verdict says so
     * ({@code micChecked: false}).
     */
    private UnitOutcome secureElement(Fixture fixture, ReservedUnit unit, long t0) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("resumed", unit.resumed());
        m.put("keysInSecureElement", unit.secureElementId());
        long after = server.lastEventId(unit.devEui());
        server.stepBegun(unit.devEui(), "read_back");
        Fixture.Step read = fixture.readIdentity();
        m.putAll(read.measurements());
        if (!read.ok()) {
            return finish(unit, read.reasonCode(), m, t0, List.of());
        }
        List<String> mismatched = new ArrayList<>();
        if (!unit.devEui().toString().equals(read.measurements().get("reportedDevEui"))) {
            mismatched.add("DevEUI");
        }
        if (!unit.joinEui().toString().equals(read.measurements().get("reportedJoinEui"))) {
            mismatched.add("JoinEUI");
        }
        if (!mismatched.isEmpty()) {
            m.put("readbackMismatch", mismatched);
            return finish(unit, Reason.READBACK_MISMATCH.code(), m, t0, List.of());
        }
        server.programmed(unit.devEui());
        server.stepBegun(unit.devEui(), "join");
        Fixture.Step joined = fixture.join(settings.joinTimeout());
        m.putAll(joined.measurements());
        if (!joined.ok() && !joined.reasonCode().equals(Fixture.NOT_JOINED)) {
            return finish(unit, joined.reasonCode(), m, t0, List.of());
        }
        Duration heardWithin = fixture.joinsByItself() ? settings.joinTimeout() : Duration.ofSeconds(5);
        Optional<StationApiClient.RadioEvent> heard = awaitHeard(unit.devEui(), after, heardWithin);
        m.put("micChecked", false);
        m.put("micNote", "not checked: the keys are in the secure element; the device's own join server checks it");
        if (heard.isEmpty()) {
            return finish(unit, Reason.JOIN_NOT_HEARD.code(), m, t0, List.of());
        }
        StationApiClient.RadioEvent h = heard.get();
        m.put("joinRequestHeard", true);
        m.put("rssi", h.rssi());
        m.put("snr", h.snr());
        m.put("frequencyHz", h.frequencyHz());
        m.put("datr", h.datr());
        m.put("gatewayEui", h.gatewayEui());
        Double rssiMin = settings.rssiMinDbm() != null ? settings.rssiMinDbm() : unit.rssiMinDbm();
        Double snrMin = settings.snrMinDb() != null ? settings.snrMinDb() : unit.snrMinDb();
        m.put("rssiMinDbm", rssiMin);
        m.put("snrMinDb", snrMin);
        String reason = rssiMin != null && h.rssi() != null && h.rssi() < rssiMin ? Reason.RSSI_BELOW_THRESHOLD.code()
                : snrMin != null && h.snr() != null && h.snr() < snrMin ? Reason.SNR_BELOW_THRESHOLD.code() : null;
        return finish(unit, endOfLine(fixture, unit, reason, m), m, t0, List.of());
    }

    /** The join server's record of a join-request of this secure-element unit: refused as keys_on_secure_element. */
    private Optional<StationApiClient.RadioEvent> awaitHeard(Eui64 devEui, long after, Duration timeout) {
        long cursor = after;
        long deadline = nanoTime.getAsLong() + timeout.toNanos();
        while (nanoTime.getAsLong() < deadline) {
            Optional<StationApiClient.RadioEvent> e = await(devEui, cursor, "join_rejected", Duration.ofNanos(deadline - nanoTime.getAsLong()));
            if (e.isEmpty() || KEYS_ON_SECURE_ELEMENT.equals(e.get().code())) {
                return e;
            }
            cursor = e.get().id();
        }
        return Optional.empty();
    }

    /** How often a unit is tested again at once after a station fault before the operator is told. */
    static final int STATION_FAULT_RETESTS = 1;

    /**
     * The longest random wait before the automatic re-test. Stations whose join-accepts collided on the test gateway's
     * one radio failed at the same moment; re-tested at once they would join at the same moment and collide again.
     * Up to 3 s spreads them by more than a join-accept's time on air (about 1.2 s at SF12 in RX2), as a device's
     * randomised join back-off does.
     */
    static final Duration RETEST_JITTER = Duration.ofSeconds(3);

    private void pauseBeforeRetest(Map<String, Object> m) {
        pause(RETEST_JITTER, m, "retestDelayMs");
    }

    /** Waits a random time up to {@code max}, recorded under {@code key}. */
    private static void pause(Duration max, Map<String, Object> m, String key) {
        long ms = java.util.concurrent.ThreadLocalRandom.current().nextLong(max.toMillis() + 1);
        m.put(key, ms);
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The programmed board joins and sends its first uplink; the server must accept the join and verify the uplink;
     * then the radio thresholds. Returns null when the unit passed, else the reason, which — where the board did not
     * join or its uplink was not verified — is decided from what the server recorded ({@link ServerEvidence}).
     */
    private String overTheAir(Fixture fixture, ReservedUnit unit, long after, Map<String, Object> m) {
        long joinStart = nanoTime.getAsLong();
        server.stepBegun(unit.devEui(), "join");
        Fixture.Step joined = fixture.join(settings.joinTimeout());
        m.putAll(joined.measurements());
        if (!joined.ok()) {
            if (!joined.reasonCode().equals(Fixture.NOT_JOINED)) {
                return joined.reasonCode(); // the module failed a command
            }
            return judged(unit, after, m, ServerEvidence::notJoined);
        }
        // A module that says it joined was answered already; a board on its own may still be trying.
        Duration heardWithin = fixture.joinsByItself() ? settings.joinTimeout() : Duration.ofSeconds(5);
        Optional<StationApiClient.RadioEvent> accept = await(unit.devEui(), after, "join_accepted", heardWithin);
        if (accept.isEmpty()) {
            return fixture.joinsByItself() ? judged(unit, after, m, ServerEvidence::notJoined)
                    : judged(unit, after, m, e -> Reason.JOIN_NOT_HEARD);
        }
        StationApiClient.RadioEvent a = accept.get();
        m.put("joinMs", (nanoTime.getAsLong() - joinStart) / 1_000_000);
        m.put("rssi", a.rssi());
        m.put("snr", a.snr());
        m.put("frequencyHz", a.frequencyHz());
        m.put("datr", a.datr());
        m.put("gatewayEui", a.gatewayEui());

        long upStart = nanoTime.getAsLong();
        server.stepBegun(unit.devEui(), "uplink");
        Fixture.Step sent = fixture.sendUplink(1, settings.testPayload(), settings.uplinkTimeout());
        m.putAll(sent.measurements());
        if (!sent.ok()) {
            return sent.reasonCode();
        }
        Optional<StationApiClient.RadioEvent> up = await(unit.devEui(), a.id(), "uplink_verified", settings.uplinkTimeout());
        if (up.isEmpty()) {
            // a module that reported joined took the join-accept: its uplink is its own business
            return fixture.joinsByItself() ? judged(unit, after, m, ServerEvidence::noUplinkOnItsOwn)
                    : judged(unit, after, m, e -> Reason.UPLINK_NOT_VERIFIED);
        }
        m.put("uplinkMs", (nanoTime.getAsLong() - upStart) / 1_000_000);
        m.put("uplinkRssi", up.get().rssi());
        m.put("uplinkSnr", up.get().snr());
        if (fixture.reportsDownlinks()) {
            String twoWay = twoWay(fixture, unit, after, up.get().id(), m);
            if (twoWay != null) {
                return twoWay;
            }
        }
        Double rssiMin = settings.rssiMinDbm() != null ? settings.rssiMinDbm() : unit.rssiMinDbm();
        Double snrMin = settings.snrMinDb() != null ? settings.snrMinDb() : unit.snrMinDb();
        m.put("rssiMinDbm", rssiMin);
        m.put("snrMinDb", snrMin);
        if (rssiMin != null && a.rssi() != null && a.rssi() < rssiMin) {
            return Reason.RSSI_BELOW_THRESHOLD.code();
        }
        if (snrMin != null && a.snr() != null && a.snr() < snrMin) {
            return Reason.SNR_BELOW_THRESHOLD.code();
        }
        if (fixture.reportsDownlinks()) {
            Double dlRssiMin = settings.downlinkRssiMinDbm() != null ? settings.downlinkRssiMinDbm() : unit.downlinkRssiMinDbm();
            Double dlSnrMin = settings.downlinkSnrMinDb() != null ? settings.downlinkSnrMinDb() : unit.downlinkSnrMinDb();
            m.put("downlinkRssiMinDbm", dlRssiMin);
            m.put("downlinkSnrMinDb", dlSnrMin);
            // a module that does not report the signal (RN2483, Murata) has nothing to hold to a threshold
            if (dlRssiMin != null && m.get("downlinkRssi") instanceof Number r && r.doubleValue() < dlRssiMin) {
                return Reason.DOWNLINK_RSSI_BELOW_THRESHOLD.code();
            }
            if (dlSnrMin != null && m.get("downlinkSnr") instanceof Number r && r.doubleValue() < dlSnrMin) {
                return Reason.DOWNLINK_SNR_BELOW_THRESHOLD.code();
            }
        }
        if (unit.certificationProfile()) {
            return certification(fixture, unit, up.get().id(), m);
        }
        return null;
    }

    /**
     * The TS009 end-of-line profile, run by the server one command per uplink after the first: the station gives it the
     * uplinks (a module is told to send them, {@link #CERTIFICATION_UPLINKS} at most; a board on its own firmware sends
     * them itself, for up to {@link #CERTIFICATION_TIMEOUT}) until the server records the outcome. Null when the unit
     * passed; {@link Reason#CERTIFICATION_FAILED} with the server's step and code; a command the gateways would not send
     * is the test station's ({@link Reason#TEST_GATEWAY_FAULT}).
     *
     * <p>With certification data rates on the product, the station sets a module's uplink data rate before each of those
     * uplinks (ADR off), stepping through the list in its order and round again, so that the server's echo goes out on
     * each of them ({@code CertificationProfile}); a module that refuses a data rate fails the unit with its own reason
     * ({@code module_error}, {@code timeout}: the board's module). A board on its own firmware must step them itself.
     */
    private String certification(Fixture fixture, ReservedUnit unit, long uplinkEvent, Map<String, Object> m) {
        server.stepBegun(unit.devEui(), "certification");
        long start = nanoTime.getAsLong();
        java.util.function.Predicate<String> outcomes = k -> k.equals("certification_passed") || k.equals("certification_failed")
                || k.equals("certification_not_completed");
        Optional<StationApiClient.RadioEvent> outcome = Optional.empty();
        int uplinks = 0;
        if (fixture.joinsByItself()) {
            outcome = await(unit.devEui(), uplinkEvent, outcomes, CERTIFICATION_TIMEOUT);
        } else {
            long cursor = uplinkEvent;
            List<Integer> dataRates = unit.certificationDataRates();
            // one uplink more per listed data rate: each may carry an echo of its own
            while (outcome.isEmpty() && uplinks < CERTIFICATION_UPLINKS + dataRates.size()) {
                if (!dataRates.isEmpty()) {
                    int dr = dataRates.get(uplinks % dataRates.size());
                    Fixture.Step set = fixture.setDataRate(dr);
                    if (!set.ok()) {
                        m.put("certificationUplinks", uplinks);
                        m.put("certificationDataRate", dr);
                        return set.reasonCode();
                    }
                }
                Fixture.Step sent = fixture.sendUplink(1, settings.testPayload(), settings.uplinkTimeout());
                uplinks++;
                if (!sent.ok()) {
                    m.put("certificationUplinks", uplinks);
                    return sent.reasonCode();
                }
                // the next uplink once the server has answered this one with its next command; the outcome once the
                // last command (DutFPort224DisableReq, 0x7E) is out
                Optional<StationApiClient.RadioEvent> next = await(unit.devEui(), cursor,
                        k -> outcomes.test(k) || k.startsWith("certification_downlink_"), CERTIFICATION_OUTCOME_WAIT);
                if (next.isPresent()) {
                    cursor = next.get().id();
                    if (outcomes.test(next.get().kind())) {
                        outcome = next;
                    } else if (next.get().details().path("frmPayload").asText().equals("7e")) {
                        outcome = await(unit.devEui(), cursor, outcomes, CERTIFICATION_OUTCOME_WAIT);
                    }
                }
            }
            m.put("certificationUplinks", uplinks);
        }
        m.put("certificationMs", (nanoTime.getAsLong() - start) / 1_000_000);
        if (outcome.isEmpty()) {
            boolean commanded = eventsSince(unit.devEui(), uplinkEvent).stream()
                    .anyMatch(e -> e.kind().equals("certification_downlink_sent"));
            if (!commanded) {
                // the server never sent a command (it restarted mid-unit and lost the profile's state, or did not run
                // it): nothing is known of the board, so the test station's fault, and the unit is tested again
                m.put("certification", "not_run");
                return Reason.TEST_GATEWAY_FAULT.code();
            }
            // the server's commands went out and it never ended the profile: the firmware did not take part in it
            m.put("certification", "no_outcome");
            return Reason.CERTIFICATION_FAILED.code();
        }
        StationApiClient.RadioEvent e = outcome.get();
        switch (e.kind()) {
            case "certification_passed" -> {
                m.put("certification", "passed");
                return null;
            }
            case "certification_not_completed" -> {
                m.put("certification", "not_completed");
                m.put("certificationStep", e.details().path("command").asText());
                m.put("gatewayError", e.details().path("downlink").asText());
                return Reason.TEST_GATEWAY_FAULT.code();
            }
            default -> {
                m.put("certification", e.code());
                m.put("certificationStep", e.details().path("command").asText());
                m.put("certificationDetails", e.details().toString());
                return Reason.CERTIFICATION_FAILED.code();
            }
        }
    }

    /**
     * Uplinks a module is told to send for the TS009 profile: four carry the server's four commands and their answers;
     * the rest allow for an answer that comes an uplink late and for a command the gateway had to send again.
     */
    static final int CERTIFICATION_UPLINKS = 10;

    /** How long after each of those uplinks the station looks for the profile's outcome (the last command's TX_ACK). */
    static final Duration CERTIFICATION_OUTCOME_WAIT = Duration.ofSeconds(2);

    /** How long a board on its own firmware has to send the uplinks the profile needs. */
    static final Duration CERTIFICATION_TIMEOUT = Duration.ofMinutes(3);

    /**
     * The two-way test: the server answers the verified uplink with a random payload; the module must report exactly
     * that payload on that FPort. Returns null when it did. A module that reported none is the board's fault only when
     * the gateway confirmed it sent the downlink ({@link ServerEvidence#noDownlink}); another payload is the board's.
     */
    private String twoWay(Fixture fixture, ReservedUnit unit, long after, long uplinkEvent, Map<String, Object> m) {
        long cursor = uplinkEvent;
        for (int attempt = 1; ; attempt++) {
            m.put("downlinkTries", attempt);
            String reason = receiveTestDownlink(fixture, unit, after, cursor, m);
            if (!Reason.TEST_GATEWAY_FAULT.code().equals(reason) || attempt >= DOWNLINK_TRIES) {
                return reason;
            }
            // The downlink did not go out (the gateway's transmitter taken by other positions' downlinks, a refusal): the
            // server keeps it for the session's next uplinks, so one more uplink gives it another pair of windows, at a
            // random moment so that positions that missed together do not meet again.
            pause(DOWNLINK_RETRY_JITTER, m, "downlinkRetryDelayMs");
            long mark = lastEventOf(unit.devEui(), cursor); // before the uplink: the module may return after it is verified
            server.stepBegun(unit.devEui(), "uplink");
            Fixture.Step again = fixture.sendUplink(1, settings.testPayload(), settings.uplinkTimeout());
            if (!again.ok()) {
                // a module that will not send again (duty cycle, busy) leaves the station's verdict
                m.put("downlinkRetry", "the module did not send another uplink: " + again.reasonCode());
                return reason;
            }
            Optional<StationApiClient.RadioEvent> up = await(unit.devEui(), mark, "uplink_verified",
                    settings.uplinkTimeout());
            if (up.isEmpty()) {
                m.put("downlinkRetry", "the server verified no further uplink");
                return reason;
            }
            cursor = up.get().id();
        }
    }

    /**
     * How many uplinks the station gives the server to deliver the test downlink when it did not go out for the test
     * station's sake; the server tries as many ({@code TestDownlinks.ATTEMPTS}).
     */
    public static final int DOWNLINK_TRIES = 3;

    /**
     * The longest random wait before such an uplink: a test downlink's slot at SF7 is about 60 ms on air and 50 ms of
     * guard, so half a second spreads the positions of a fixture over several slots without slowing a unit much.
     */
    static final Duration DOWNLINK_RETRY_JITTER = Duration.ofMillis(500);

    /** The id of the unit's last event after {@code cursor} (so that the next wait starts after what is known). */
    private long lastEventOf(Eui64 devEui, long cursor) {
        long last = cursor;
        for (StationApiClient.RadioEvent e : eventsSince(devEui, cursor)) {
            last = Math.max(last, e.id());
        }
        return last;
    }

    /** One try of the two-way test, answering the uplink recorded as {@code uplinkEvent}: null when the module has the payload. */
    private String receiveTestDownlink(Fixture fixture, ReservedUnit unit, long after, long uplinkEvent, Map<String, Object> m) {
        server.stepBegun(unit.devEui(), "downlink");
        Fixture.Step got = fixture.receiveDownlink(settings.downlinkTimeout());
        m.putAll(got.measurements());
        if (!got.ok() && !got.reasonCode().equals(Fixture.NO_DOWNLINK)) {
            return got.reasonCode(); // the module failed a command
        }
        Optional<StationApiClient.RadioEvent> outcome = await(unit.devEui(), uplinkEvent,
                k -> k.equals("downlink_sent") || k.equals("downlink_not_sent"), DOWNLINK_OUTCOME_WAIT);
        outcome.ifPresent(e -> {
            m.put("downlinkSent", e.details().path("frmPayload").asText());
            m.put("downlinkFCnt", e.details().path("fCntDown").asLong());
        });
        if (got.ok() && outcome.isPresent()) {
            // sent or, by the gateway's word, not: a module that has exactly that payload received it all the same
            JsonNode sent = outcome.get().details();
            boolean same = sent.path("frmPayload").asText().equals(m.get("downlinkPayload"))
                    && sent.path("fPort").asInt(-1) == ((Number) m.get("downlinkPort")).intValue();
            return same ? null : Reason.DOWNLINK_MISMATCH.code();
        }
        if (got.ok()) {
            // the module heard a downlink, but the server recorded none in time: there is nothing to hold it to
            return judged(unit, after, m, e -> Reason.TEST_GATEWAY_FAULT);
        }
        return judged(unit, after, m, ServerEvidence::noDownlink);
    }

    /**
     * Reads what the server recorded for the unit since {@code after} — waiting a little for the outcome of a
     * join-accept still with the gateway — puts it into the measurements ({@code serverEvidence}, {@code gatewayError})
     * and decides the reason by {@code rule}.
     */
    private String judged(ReservedUnit unit, long after, Map<String, Object> m, java.util.function.Function<ServerEvidence, Reason> rule) {
        ServerEvidence evidence = ServerEvidence.of(eventsSince(unit.devEui(), after));
        long deadline = nanoTime.getAsLong() + DOWNLINK_OUTCOME_WAIT.toNanos();
        while (!evidence.downlinksSettled() && nanoTime.getAsLong() < deadline) {
            long cursor = evidence.events().isEmpty() ? after : evidence.events().get(evidence.events().size() - 1).id();
            List<StationApiClient.RadioEvent> more = server.events(unit.devEui(), cursor, Duration.ofSeconds(1));
            List<StationApiClient.RadioEvent> all = new ArrayList<>(evidence.events());
            all.addAll(more);
            evidence = ServerEvidence.of(all);
        }
        m.put("serverEvidence", evidence.summary());
        evidence.gatewayError().ifPresent(g -> m.put("gatewayError", g));
        return rule.apply(evidence).code();
    }

    /**
     * How long the station waits for the server to record what the gateway did with a join-accept (two TX_ACK
     * timeouts, RX1 and RX2, take 4 s by default).
     */
    static final Duration DOWNLINK_OUTCOME_WAIT = Duration.ofSeconds(5);

    private List<StationApiClient.RadioEvent> eventsSince(Eui64 devEui, long after) {
        List<StationApiClient.RadioEvent> all = new ArrayList<>();
        long cursor = after;
        List<StationApiClient.RadioEvent> page;
        do {
            page = server.events(devEui, cursor, Duration.ZERO);
            for (StationApiClient.RadioEvent e : page) {
                cursor = Math.max(cursor, e.id());
                all.add(e);
            }
        } while (!page.isEmpty());
        return all;
    }

    private Optional<StationApiClient.RadioEvent> await(Eui64 devEui, long after, String kind, Duration timeout) {
        return await(devEui, after, kind::equals, timeout);
    }

    private Optional<StationApiClient.RadioEvent> await(Eui64 devEui, long after, java.util.function.Predicate<String> kind,
            Duration timeout) {
        long deadline = nanoTime.getAsLong() + timeout.toNanos();
        long cursor = after;
        while (true) {
            long left = deadline - nanoTime.getAsLong();
            if (left <= 0) {
                return Optional.empty();
            }
            List<StationApiClient.RadioEvent> page = server.events(devEui, cursor, Duration.ofSeconds(Math.max(1, Math.min(5, left / 1_000_000_000L))));
            for (StationApiClient.RadioEvent e : page) {
                cursor = Math.max(cursor, e.id());
                if (kind.test(e.kind())) {
                    return Optional.of(e);
                }
            }
        }
    }

    /** Records the test run: passed when {@code reason} is null, a station fault for a test-station reason, else failed. */
    private UnitOutcome finish(ReservedUnit unit, String reason, Map<String, Object> m, long t0, List<String> faults) {
        Duration elapsed = Duration.ofNanos(nanoTime.getAsLong() - t0);
        m.put("stationMs", elapsed.toMillis());
        UnitOutcome.Verdict verdict = reason == null ? UnitOutcome.Verdict.PASSED
                : Reason.isStationFault(reason) ? UnitOutcome.Verdict.STATION_FAULT
                : UnitOutcome.Verdict.FAILED;
        server.stepBegun(unit.devEui(), "finish");
        server.finish(unit.devEui(), verdict.name(), reason, m);
        return new UnitOutcome(unit.devEui(), unit.serial(), verdict, reason, m, elapsed, faults);
    }
}
