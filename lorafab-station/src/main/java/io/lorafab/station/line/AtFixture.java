package io.lorafab.station.line;

import io.lorafab.station.at.AtDialect;
import io.lorafab.station.at.AtException;
import io.lorafab.station.at.Identity;
import io.lorafab.station.at.JoinResult;
import io.lorafab.station.at.ProgramResult;
import io.lorafab.station.at.Programmer;
import io.lorafab.station.at.SendResult;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A radio module on the fixture's serial line, driven in its AT dialect: identity written and read back,
 * then joined and made to send by command. A driver failure ends the step with its code ({@code module_error},
 * {@code timeout}, ...) and the message (which never holds a key) as {@code moduleError}.
 */
public final class AtFixture implements Fixture {

    private final AtDialect module;

    public AtFixture(AtDialect module) {
        this.module = module;
    }

    @Override
    public Step program(Identity identity, String serial) {
        Map<String, Object> m = new LinkedHashMap<>();
        try {
            ProgramResult programmed = Programmer.program(module, identity);
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

    @Override
    public boolean joinsByItself() {
        return false;
    }

    @Override
    public Step join(Duration timeout) {
        Map<String, Object> m = new LinkedHashMap<>();
        try {
            JoinResult joined = module.join(timeout);
            if (!joined.joined()) {
                m.put("joinEvent", joined.event());
                return Step.failed("join_failed", m);
            }
            return Step.done(m);
        } catch (AtException e) {
            return moduleFailure(e, m);
        }
    }

    @Override
    public Step sendUplink(int port, byte[] payload, Duration timeout) {
        Map<String, Object> m = new LinkedHashMap<>();
        try {
            SendResult sent = module.send(port, payload, false, timeout);
            m.put("sendStatus", sent.status().name());
            return Step.done(m);
        } catch (AtException e) {
            return moduleFailure(e, m);
        }
    }

    private static Step moduleFailure(AtException e, Map<String, Object> m) {
        m.put("moduleError", e.getMessage());
        return Step.failed(e.code().text(), m);
    }

    @Override
    public String toString() {
        return "AtFixture[" + module.name() + "]";
    }
}
