package io.lorafab.joinserver;

import io.lorafab.gateway.Uplink;
import io.lorafab.lorawan.LorawanFormatException;
import io.lorafab.lorawan.cert.Ts009;
import io.lorafab.lorawan.region.Region;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.Hex;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.store.join.JoinStore;
import io.lorafab.store.join.RadioEvent;
import io.lorafab.store.join.Session;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The optional TS009 end-of-line profile, for a product whose firmware implements the LoRaWAN Certification Protocol
 * on FPort 224. It runs on a unit's test session after the first verified uplink (which the two-way test answers), one
 * command per uplink, because a class-A device hears a downlink only in the receive windows of its own uplink and
 * answers a command in its next uplink:
 *
 * <ol>
 *   <li>{@code DutVersionsReq}: the LoRaWAN version the firmware reports must be the product's (major, minor, patch;
 *       the revision is not compared: TS009 reports LoRaWAN 1.0.2 rev B as revision 2, the same MAC rules), and, when
 *       the product names one, the firmware version too (major, minor, patch, and the revision only if the product
 *       gave one: a build number the maker did not pin down is not held against the unit).</li>
 *   <li>{@code EchoPayloadReq} with {@link #ECHO_LENGTH} random bytes: each must come back plus one (mod 256). With no
 *       certification data rates on the product, one echo, in the windows of whatever uplink comes. With a list, one
 *       echo on each listed data rate ({@link EchoCoverage}): the request goes out in the windows of an uplink at a
 *       listed data rate not yet echoed, and an uplink at any other data rate is passed over (no command, so no answer
 *       is missing). The device must step its uplink data rate through the list: a station driving an AT module does it
 *       (ADR off, one data rate per uplink); <b>a board on its own firmware must do it itself</b>. Each echo step records
 *       the uplink's data rate and the downlink's, as the transmitter plan sent it (RX1 at the uplink's DR less the
 *       session's RX1DROffset, or RX2 at the RX2 data rate). After {@link EchoCoverage#SKIPS_ALLOWED} uplinks in a row
 *       at no data rate still to echo, the unit fails with {@code data_rates_not_covered}, naming the missing ones.</li>
 *   <li>{@code RxAppCntReq}: the device's count of application downlinks must be the number the gateways confirmed
 *       sending in the session — all of them (the test downlink included) or, as firmware that counts only the
 *       certification port does, those on FPort 224; the request itself is counted, as the device counts a downlink
 *       before answering it. Fewer is a downlink the device lost.</li>
 *   <li>{@code DutFPort224DisableReq}: the device leaves test mode; nothing is answered.</li>
 * </ol>
 *
 * Each answer is recorded as {@code certification_step} (code null when it passed, else the {@link Failure}'s), and
 * the outcome once: {@code certification_passed} once the gateway sent the disable command, {@code certification_failed}
 * with the failure's code (a fault of the unit), or {@code certification_not_completed} when the gateways would not
 * send a command ({@code downlink_not_sent}, the test station's fault). Each command's downlink is recorded as
 * {@code certification_downlink_sent}/{@code certification_downlink_not_sent}, apart from the two-way test's
 * {@code downlink_sent}. The profile's state lives in memory: a server restarted in the middle of a unit leaves its
 * profile without an outcome, and the station re-tests it.
 */
public final class CertificationProfile {
    private static final System.Logger LOG = System.getLogger(CertificationProfile.class.getName());

    /** The echo's length: fits every region's lowest downlink data rate with the command byte and the frame header. */
    static final int ECHO_LENGTH = 8;
    /** Uplinks the device may send after a command before its answer (a module's own uplink may come first). */
    static final int UPLINKS_FOR_AN_ANSWER = 2;
    /** Times a command the gateways did not send is tried again, each on the next uplink. */
    static final int RESENDS = 2;
    /** How long a command's downlink may still be with the gateway when the device's next uplink comes. */
    private static final Duration OUTCOME_WAIT = Duration.ofSeconds(5);

    /**
     * What a product that runs the profile expects of its units: its LoRaWAN version, the data rates to echo on (empty:
     * one echo at any), and the firmware version the units must report ({@code 1.4.2}, or {@code 1.4.2.7} to compare the
     * revision too; empty: not checked).
     */
    public record Expectation(MacVersion macVersion, List<Integer> dataRates, Optional<String> firmwareVersion) {
        public Expectation {
            Objects.requireNonNull(macVersion, "macVersion");
            dataRates = List.copyOf(dataRates);
            Objects.requireNonNull(firmwareVersion, "firmwareVersion");
            firmwareVersion.ifPresent(Ts009.Version::parse); // a malformed one fails here, not at the first unit
        }

        public Expectation(MacVersion macVersion) {
            this(macVersion, List.of(), Optional.empty());
        }
    }

    /** Why a unit failed the profile: the {@code certification_failed} code. */
    public enum Failure {
        /** The device reported another LoRaWAN or firmware version than the product's. */
        VERSION_MISMATCH("version_mismatch"),
        /** The device's uplinks did not come at every listed data rate, so some were never echoed. */
        DATA_RATES_NOT_COVERED("data_rates_not_covered"),
        /** The echo was not the payload with each byte plus one. */
        ECHO_MISMATCH("echo_mismatch"),
        /** The device counted another number of downlinks than the gateways sent. */
        RX_APP_CNT_MISMATCH("rx_app_cnt_mismatch"),
        /** The device sent no answer on FPort 224 in the uplinks after the command. */
        NO_ANSWER("no_answer"),
        /** The answer on FPort 224 was not one of the command's, or malformed. */
        WRONG_ANSWER("wrong_answer");

        private final String code;

        Failure(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    /** One answer checked: passed ({@code failure} empty) or not, with what was expected and what came, as JSON fields. */
    public record Check(Optional<Failure> failure, String details) {
        static Check ok(String details) {
            return new Check(Optional.empty(), details);
        }

        static Check failed(Failure f, String details) {
            return new Check(Optional.of(f), details);
        }

        public boolean passed() {
            return failure.isEmpty();
        }
    }

    /**
     * The versions answer held to the product: the LoRaWAN version's major, minor and patch; the firmware version's
     * when the product names one (its revision only when the product's has four parts). The details name each version
     * that differed ({@code "differs":["lorawan","firmware"]}).
     */
    public static Check checkVersions(Expectation product, Ts009.Answer answer) {
        if (!(answer instanceof Ts009.DutVersionsAns v)) {
            return Check.failed(Failure.WRONG_ANSWER, "\"expected\":\"DutVersionsAns\",\"got\":\"" + name(answer) + "\"");
        }
        Ts009.Version got = v.lorawan();
        List<String> differs = new java.util.ArrayList<>();
        if (!sameRelease(version(product.macVersion()), got)) {
            differs.add("\"lorawan\"");
        }
        String details = "\"firmware\":\"" + v.firmware() + "\",\"lorawan\":\"" + got + "\",\"regionalParameters\":\""
                + v.regionalParameters() + "\",\"expectedLorawan\":\"" + product.macVersion().text() + "\"";
        if (product.firmwareVersion().isPresent()) {
            String text = product.firmwareVersion().get().strip();
            Ts009.Version expected = Ts009.Version.parse(text);
            boolean withRevision = text.split("\\.").length > 3;
            if (!sameRelease(expected, v.firmware()) || withRevision && expected.revision() != v.firmware().revision()) {
                differs.add("\"firmware\"");
            }
            details += ",\"expectedFirmware\":\"" + text + "\"";
        }
        if (differs.isEmpty()) {
            return Check.ok(details);
        }
        return Check.failed(Failure.VERSION_MISMATCH, details + ",\"differs\":[" + String.join(",", differs) + "]");
    }

    private static boolean sameRelease(Ts009.Version a, Ts009.Version b) {
        return a.major() == b.major() && a.minor() == b.minor() && a.patch() == b.patch();
    }

    /** The echo held to the request: each byte plus one, no byte more or less. */
    public static Check checkEcho(Ts009.EchoPayloadReq request, Ts009.Answer answer) {
        if (!(answer instanceof Ts009.EchoPayloadAns a)) {
            return Check.failed(Failure.WRONG_ANSWER, "\"expected\":\"EchoPayloadAns\",\"got\":\"" + name(answer) + "\"");
        }
        String details = "\"sent\":\"" + Hex.format(request.payload()) + "\",\"expected\":\""
                + Hex.format(request.expectedAnswer().payload()) + "\",\"got\":\"" + Hex.format(a.payload()) + "\"";
        return a.equals(request.expectedAnswer()) ? Check.ok(details) : Check.failed(Failure.ECHO_MISMATCH, details);
    }

    /**
     * The device's downlink count held to what the gateways sent in the session: {@code sentAll} application downlinks,
     * {@code sentOnPort224} of them on FPort 224 (both including the request being answered).
     */
    public static Check checkRxAppCnt(int sentAll, int sentOnPort224, Ts009.Answer answer) {
        if (!(answer instanceof Ts009.RxAppCntAns a)) {
            return Check.failed(Failure.WRONG_ANSWER, "\"expected\":\"RxAppCntAns\",\"got\":\"" + name(answer) + "\"");
        }
        String details = "\"sent\":" + sentAll + ",\"sentOnFPort224\":" + sentOnPort224 + ",\"counted\":" + a.count();
        return a.count() == (sentAll & 0xffff) || a.count() == (sentOnPort224 & 0xffff) ? Check.ok(details)
                : Check.failed(Failure.RX_APP_CNT_MISMATCH, details);
    }

    /** The TS009 version a MAC version is reported as: 1.0.3 is 1.0.3.0, 1.1 is 1.1.0.0. */
    static Ts009.Version version(MacVersion v) {
        String[] p = v.text().split("\\.");
        return new Ts009.Version(Integer.parseInt(p[0]), Integer.parseInt(p[1]), p.length > 2 ? Integer.parseInt(p[2]) : 0, 0);
    }

    private static String name(Ts009.Answer a) {
        return a.getClass().getSimpleName();
    }

    /** A command of the profile, in the order it is sent. */
    enum Command {
        VERSIONS("DutVersionsReq"), ECHO("EchoPayloadReq"), RX_APP_CNT("RxAppCntReq"), DISABLE("DutFPort224DisableReq");

        final String wire;

        Command(String wire) {
            this.wire = wire;
        }
    }

    private static final List<Command> ORDER = List.of(Command.VERSIONS, Command.ECHO, Command.RX_APP_CNT, Command.DISABLE);

    /** One unit's profile; guarded by itself (a session's uplinks are handled one at a time, but on any worker). */
    private static final class Run {
        final Expectation expectation;
        int next; // index in ORDER of the command to send next
        Ts009.Request awaiting; // sent, its answer not yet in
        int uplinksSinceCommand;
        int resends;
        CompletableFuture<RadioEvent> pending; // the last command's downlink, until the gateway's answer is in
        int sentAll; // application downlinks the gateways sent in the session
        int sentOnPort224;
        boolean over;
        final EchoCoverage coverage;
        int echoUplinkDr = -1; // the data rate of the uplink whose windows carried the awaited echo
        String echoDownlink = "\"downlinkDr\":null"; // the echo's downlink as the gateway sent it, as JSON fields

        Run(Expectation expectation) {
            this.expectation = expectation;
            this.coverage = new EchoCoverage(expectation.dataRates());
        }
    }

    private final TestDownlinks downlinks;
    private final JoinStore store;
    private final Function<Eui64, Optional<Expectation>> products;
    private final SecureRandom random;
    private final Consumer<RadioEvent> published;
    private final Map<Long, Run> runs = new ConcurrentHashMap<>();

    /**
     * @param downlinks sends the commands (the two-way test's sender, held to the same transmitter plan)
     * @param products  the expectation of a unit's product when it runs the profile, else empty
     */
    CertificationProfile(TestDownlinks downlinks, JoinStore store, Function<Eui64, Optional<Expectation>> products, SecureRandom random,
            Consumer<RadioEvent> published) {
        this.downlinks = Objects.requireNonNull(downlinks, "downlinks");
        this.store = Objects.requireNonNull(store, "store");
        this.products = Objects.requireNonNull(products, "products");
        this.random = Objects.requireNonNull(random, "random");
        this.published = Objects.requireNonNull(published, "published");
    }

    /**
     * The two-way test's downlink answered a verified uplink of {@code session} ({@code testDownlink}, counted once the
     * gateway sent it): on the session's first, the profile begins if the unit's product runs it; a later try of the
     * test downlink (the earlier did not go out) takes the earlier's place. The profile's commands follow on the uplinks
     * after the test downlink's.
     */
    void testDownlink(Session session, CompletableFuture<RadioEvent> testDownlink) {
        Run run = runs.get(session.id());
        if (run == null) {
            Optional<Expectation> e = products.apply(session.devEui());
            if (e.isEmpty()) {
                return;
            }
            run = runs.computeIfAbsent(session.id(), id -> new Run(e.get()));
        }
        synchronized (run) {
            if (run.next == 0) {
                run.pending = testDownlink;
            }
        }
    }

    /** A later verified uplink of a session: checks an awaited answer, then sends the next command in its windows. */
    void uplink(UplinkVerifier.Verified v, Uplink uplink, RadioMeta meta) {
        Run run = runs.get(v.session().id());
        if (run == null) {
            return;
        }
        synchronized (run) {
            if (run.over) {
                return;
            }
            if (!settle(run, v.session(), meta)) {
                return;
            }
            if (run.awaiting != null) {
                Optional<Check> check = answered(run, v);
                if (check.isEmpty()) {
                    if (++run.uplinksSinceCommand < UPLINKS_FOR_AN_ANSWER) {
                        return; // not (yet) the answer: the next uplink may bring it
                    }
                    check = Optional.of(Check.failed(Failure.NO_ANSWER, "\"uplinks\":" + run.uplinksSinceCommand));
                }
                Command c = ORDER.get(run.next - 1);
                Check k = check.get();
                String details = k.details();
                if (c == Command.ECHO) {
                    details += ",\"uplinkDr\":" + run.echoUplinkDr + "," + run.echoDownlink;
                }
                event(v.session(), "certification_step", k.failure().map(Failure::code).orElse(null), meta,
                        "{\"command\":\"" + c.wire + "\",\"ok\":" + k.passed() + "," + details + "}");
                if (!k.passed()) {
                    finish(run, v.session(), "certification_failed", k.failure().get().code(), meta,
                            "{\"command\":\"" + c.wire + "\"," + details + "}");
                    return;
                }
                run.awaiting = null;
                if (c == Command.ECHO) {
                    run.coverage.passed(run.echoUplinkDr);
                    if (!run.coverage.complete()) {
                        run.next--; // the echo again, on the next uplink at a listed data rate not yet echoed
                    }
                }
            }
            send(run, v.session(), v.region(), uplink, meta);
        }
    }

    /**
     * Takes in what became of the last command's downlink: counted when the gateway sent it; when it did not, the
     * command is sent again on this uplink (up to {@link #RESENDS} times), then the profile ends not completed. False
     * when the profile ended here.
     */
    private boolean settle(Run run, Session s, RadioMeta meta) {
        if (run.pending == null) {
            return true;
        }
        RadioEvent outcome;
        try {
            outcome = run.pending.get(OUTCOME_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            outcome = null;
        }
        run.pending = null;
        boolean sent = outcome != null && (outcome.kind().equals("downlink_sent") || outcome.kind().equals("certification_downlink_sent"));
        boolean command = outcome == null || outcome.kind().startsWith("certification_");
        if (sent) {
            run.resends = 0; // each command may be sent again RESENDS times
            if (command && ORDER.get(run.next - 1) == Command.ECHO) {
                run.echoDownlink = downlinkFields(outcome.details());
            }
            run.sentAll++;
            if (command) {
                run.sentOnPort224++;
            }
            if (command && ORDER.get(run.next - 1) == Command.DISABLE) {
                finish(run, s, "certification_passed", null, meta, "{\"commands\":" + ORDER.size() + ",\"echoDataRates\":"
                        + run.coverage.listed() + "}");
                return false;
            }
            return true;
        }
        if (!command) {
            return true; // the two-way test's downlink: its own evidence tells the station about it
        }
        if (run.resends++ < RESENDS) {
            run.next--; // the same command again, on this uplink
            run.awaiting = null;
            run.uplinksSinceCommand = 0;
            return true;
        }
        finish(run, s, "certification_not_completed", "downlink_not_sent", meta, "{\"command\":\"" + ORDER.get(run.next - 1).wire
                + "\",\"downlink\":\"" + (outcome == null ? "none" : outcome.code()) + "\"}");
        return false;
    }

    /** The answer to the awaited command in this uplink; empty when the uplink holds none (not on FPort 224). */
    private static Optional<Check> answered(Run run, UplinkVerifier.Verified v) {
        if (v.fPort().isEmpty() || v.fPort().getAsInt() != Ts009.FPORT) {
            return Optional.empty();
        }
        Ts009.Answer answer;
        try {
            answer = Ts009.answer(v.frmPayload());
        } catch (LorawanFormatException e) {
            return Optional.of(Check.failed(Failure.WRONG_ANSWER, "\"got\":\"" + Hex.format(v.frmPayload()) + "\",\"message\":\""
                    + GatewayBridge.jsonText(e.getMessage()) + "\""));
        }
        Ts009.Request r = run.awaiting;
        if (r instanceof Ts009.DutVersionsReq) {
            return Optional.of(checkVersions(run.expectation, answer));
        } else if (r instanceof Ts009.EchoPayloadReq echo) {
            return Optional.of(checkEcho(echo, answer));
        } else if (r instanceof Ts009.RxAppCntReq) {
            // the request was counted once the gateway sent it (settle); the device counts it too
            return Optional.of(checkRxAppCnt(run.sentAll, run.sentOnPort224, answer));
        }
        // DutFPort224DisableReq is never awaited; Java 17 has no exhaustive pattern switch over the sealed requests
        throw new IllegalStateException("no answer is awaited to " + r);
    }

    /** The window, data rate and datr of a sent downlink's event details, as JSON fields for an echo step. */
    static String downlinkFields(String details) {
        java.util.regex.Matcher w = java.util.regex.Pattern.compile("\"window\":\"(\\w+)\"").matcher(details == null ? "" : details);
        java.util.regex.Matcher dr = java.util.regex.Pattern.compile("\"dataRate\":(\\d+)").matcher(details == null ? "" : details);
        java.util.regex.Matcher datr = java.util.regex.Pattern.compile("\"datr\":\"(\\w+)\"").matcher(details == null ? "" : details);
        return "\"downlinkDr\":" + (dr.find() ? dr.group(1) : "null") + ",\"downlinkWindow\":" + (w.find() ? "\"" + w.group(1) + "\"" : "null")
                + ",\"downlinkDatr\":" + (datr.find() ? "\"" + datr.group(1) + "\"" : "null");
    }

    /** The uplink data rate of a frame heard as {@code meta} in {@code region}; -1 when the region has none for it. */
    static int uplinkDr(Region region, RadioMeta meta) {
        try {
            return meta == null ? -1 : region.uplinkDataRate(meta.datr());
        } catch (LorawanFormatException e) {
            return -1;
        }
    }

    private void send(Run run, Session s, Region region, Uplink uplink, RadioMeta meta) {
        Command c = ORDER.get(run.next);
        if (c == Command.ECHO) {
            int dr = uplinkDr(region, meta);
            if (!run.coverage.wants(dr)) {
                // an uplink at a data rate not listed or echoed already: nothing goes out, so no answer is missing
                if (run.coverage.skipped(dr)) {
                    finish(run, s, "certification_failed", Failure.DATA_RATES_NOT_COVERED.code(), meta,
                            "{\"command\":\"" + c.wire + "\",\"dataRates\":" + run.coverage.listed() + ",\"missing\":"
                                    + run.coverage.missing() + ",\"uplinkDataRates\":" + run.coverage.seen() + "}");
                }
                return;
            }
            run.echoUplinkDr = dr;
            run.echoDownlink = "\"downlinkDr\":null";
        }
        Ts009.Request r = switch (c) {
            case VERSIONS -> new Ts009.DutVersionsReq();
            case ECHO -> {
                byte[] b = new byte[ECHO_LENGTH];
                random.nextBytes(b);
                yield new Ts009.EchoPayloadReq(b);
            }
            case RX_APP_CNT -> new Ts009.RxAppCntReq();
            case DISABLE -> new Ts009.DutFPort224DisableReq();
        };
        run.next++;
        run.uplinksSinceCommand = 0;
        run.awaiting = c == Command.DISABLE ? null : r;
        CompletableFuture<RadioEvent> sent = downlinks.send(s, region, uplink, meta, Ts009.FPORT, r.encode(),
                "certification_downlink_sent", "certification_downlink_not_sent");
        run.pending = sent;
        if (c == Command.DISABLE) {
            // no answer comes to this one: the outcome is recorded once the gateway has sent it (off the connector's
            // thread, which completes the send on a TX_ACK and must not wait for the disk)
            sent.whenCompleteAsync((e, t) -> {
                synchronized (run) {
                    if (!run.over && run.pending == sent) {
                        settle(run, s, meta);
                    }
                }
            });
        }
    }

    private void finish(Run run, Session s, String kind, String code, RadioMeta meta, String details) {
        run.over = true;
        runs.remove(s.id());
        event(s, kind, code, meta, details);
    }

    private void event(Session s, String kind, String code, RadioMeta meta, String details) {
        try {
            published.accept(store.record(RadioEvent.of(s.devEui(), kind, code, meta == null ? null : meta.gatewayEui(), null, null,
                    null, null, details)));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "recording " + kind + " failed: " + e);
        }
    }
}
