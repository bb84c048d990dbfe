package io.lorafab.station.line;

import io.lorafab.station.at.AtDialect;
import io.lorafab.station.at.AtException;
import io.lorafab.station.at.Identity;
import io.lorafab.station.at.JoinAttempts;
import io.lorafab.station.at.JoinResult;
import io.lorafab.station.at.ProgramResult;
import io.lorafab.station.at.ReceivedDownlink;
import io.lorafab.station.at.Programmer;
import io.lorafab.station.at.SendResult;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import io.lorafab.station.at.ReadBack;
import io.lorafab.station.at.ModuleInfo;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * A radio module on the fixture's serial line, driven in its AT dialect: identity written and read back,
 * then joined and made to send by command. A driver failure ends the step with its code ({@code module_error},
 * {@code timeout}, ...) and the message (which never holds a key) as {@code moduleError}; a serial port that
 * has gone ({@code port_unavailable}) is no fault of the unit and is thrown on, for the station to stop.
 *
 * <p>The join makes up to {@link JoinAttempts#attempts()} join-requests: a module that retries by itself is told
 * the attempts and the period; for the others the join command is sent again, each one {@code period} after the
 * previous one started, while the join timeout allows.
 */
public final class AtFixture implements Fixture {

    /** Waits between join commands; {@link Thread#sleep} on a real line. */
    @FunctionalInterface
    public interface Pause {
        void pause(Duration d) throws InterruptedException;
    }

    private final AtDialect module;
    private final JoinAttempts attempts;
    private final Pause pause;
    private final LongSupplier nanoTime;
    /** The downlink the module reported while sending the last uplink; on the station's one thread per fixture. */
    private Optional<ReceivedDownlink> reported = Optional.empty();

    /** A fixture whose unit makes one join-request. */
    public AtFixture(AtDialect module) {
        this(module, JoinAttempts.ONCE);
    }

    public AtFixture(AtDialect module, JoinAttempts attempts) {
        this(module, attempts, d -> Thread.sleep(d.toMillis()), System::nanoTime);
    }

    public AtFixture(AtDialect module, JoinAttempts attempts, Pause pause, LongSupplier nanoTime) {
        this.module = Objects.requireNonNull(module, "module");
        this.attempts = Objects.requireNonNull(attempts, "attempts");
        this.pause = Objects.requireNonNull(pause, "pause");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    }

    @Override
    public Step program(Identity identity, String serial) {
        return program(identity, serial, () -> { });
    }

    @Override
    public Step program(Identity identity, String serial, Runnable readingBack) {
        Map<String, Object> m = new LinkedHashMap<>();
        try {
            ProgramResult programmed = Programmer.program(module, identity, readingBack);
            m.put("module", programmed.module().dialect() + " " + programmed.module().model() + " " + programmed.module().firmware());
            if (!programmed.ok()) {
                m.put("readbackMismatch", programmed.mismatches().stream().map(ProgramResult.Field::label).toList());
                return Step.failed("readback_mismatch", m);
            }
            return Step.done(m);
        } catch (AtException e) {
            return moduleFailure(e, m);
        }
    }

    /** The module's own identity (its secure element's), read without writing: identify, then read back. */
    @Override
    public Step readIdentity() {
        Map<String, Object> m = new LinkedHashMap<>();
        try {
            ModuleInfo info = module.identify();
            m.put("module", info.dialect() + " " + info.model() + " " + info.firmware());
            ReadBack rb = module.readEuis();
            m.put("reportedDevEui", rb.devEui().toString());
            m.put("reportedJoinEui", rb.joinEui().toString());
            return Step.done(m);
        } catch (AtException e) {
            return moduleFailure(e, m);
        }
    }

    @Override
    public boolean joinsByItself() {
        return false;
    }

    @Override
    public Step join(Duration timeout) {
        Map<String, Object> m = new LinkedHashMap<>();
        try {
            JoinResult joined = module.retriesJoins() ? module.join(attempts, timeout) : joinRepeated(timeout, m);
            if (!joined.joined()) {
                m.put("joinEvent", joined.event());
                return Step.failed(NOT_JOINED, m);
            }
            return Step.done(m);
        } catch (AtException e) {
            return moduleFailure(e, m);
        }
    }

    @Override
    public Step sendUplink(int port, byte[] payload, Duration timeout) {
        Map<String, Object> m = new LinkedHashMap<>();
        reported = Optional.empty();
        try {
            SendResult sent = module.send(port, payload, false, timeout);
            m.put("sendStatus", sent.status().name());
            reported = sent.downlink();
            return Step.done(m);
        } catch (AtException e) {
            return moduleFailure(e, m);
        }
    }

    @Override
    public Step setDataRate(int dr) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dataRate", dr);
        try {
            module.dataRate(dr);
            return Step.done(m);
        } catch (AtException e) {
            return moduleFailure(e, m);
        }
    }

    @Override
    public boolean reportsDownlinks() {
        return true;
    }

    /** The report that came while the uplink was sent, or the one the module prints after it. */
    @Override
    public Step receiveDownlink(Duration timeout) {
        Map<String, Object> m = new LinkedHashMap<>();
        try {
            Optional<ReceivedDownlink> r = reported.isPresent() ? reported : module.awaitDownlink(timeout);
            reported = Optional.empty();
            if (r.isEmpty()) {
                return Step.failed(NO_DOWNLINK, m);
            }
            ReceivedDownlink d = r.get();
            m.put("downlinkPort", d.port());
            m.put("downlinkPayload", d.payloadHex());
            d.window().ifPresent(w -> m.put("downlinkWindow", w));
            d.rssiDbm().ifPresent(v -> m.put("downlinkRssi", v));
            d.snrDb().ifPresent(v -> m.put("downlinkSnr", v));
            return Step.done(m);
        } catch (AtException e) {
            return moduleFailure(e, m);
        }
    }

    /** The join command sent up to {@code attempts} times, each attempt {@code period} after the previous one started. */
    private JoinResult joinRepeated(Duration timeout, Map<String, Object> m) {
        long deadline = nanoTime.getAsLong() + timeout.toNanos();
        for (int i = 1; ; i++) {
            long start = nanoTime.getAsLong();
            JoinResult r = module.join(Duration.ofNanos(Math.max(0, deadline - start)));
            m.put("joinAttempts", i);
            if (r.joined() || i >= attempts.attempts()) {
                return r;
            }
            long next = start + attempts.period().toNanos();
            if (next >= deadline) {
                return r;
            }
            long wait = next - nanoTime.getAsLong();
            if (wait > 0) {
                try {
                    pause.pause(Duration.ofNanos(wait));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return r;
                }
            }
        }
    }

    private static Step moduleFailure(AtException e, Map<String, Object> m) {
        if (e.code() == AtException.Code.PORT_UNAVAILABLE) {
            throw e;
        }
        m.put("moduleError", e.getMessage());
        return Step.failed(e.code().text(), m);
    }

    @Override
    public String toString() {
        return "AtFixture[" + module.name() + "]";
    }
}
