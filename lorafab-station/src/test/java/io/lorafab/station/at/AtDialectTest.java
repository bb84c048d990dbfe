package io.lorafab.station.at;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lorafab.lorawan.types.AesKey;
import io.lorafab.station.at.DialectCases.Case;
import io.lorafab.station.at.ProgramResult.Field;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AtDialectTest {

    private static final Duration T = Duration.ofSeconds(30);
    private static final byte[] PAYLOAD = {1, 2};

    static Stream<Case> cases() {
        return DialectCases.all().stream();
    }

    static Stream<Case> keyReadingCases() {
        return cases().filter(c -> c.appKeyMismatch() != null);
    }

    @ParameterizedTest(name = "{0}: full session replays the recorded transcript")
    @MethodSource("cases")
    void fullSession(Case c) {
        ScriptedTransport t = ScriptedTransport.fromResource(c.session());
        AtDialect d = c.factory().apply(t);

        ProgramResult r = Programmer.program(d, DialectCases.ID);
        assertThat(r.module()).isEqualTo(c.info());
        assertThat(r.fields()).isEqualTo(c.fields());
        assertThat(r.ok()).isTrue();
        assertThat(r.requireOk()).isSameAs(r);

        JoinResult j = d.join(T);
        assertThat(j.joined()).isTrue();

        SendResult s = d.send(2, PAYLOAD, true, T);
        assertThat(s.status()).isEqualTo(SendResult.Status.ACKNOWLEDGED);
        t.assertFinished();
    }

    @ParameterizedTest(name = "{0}: module error on the AppKey command")
    @MethodSource("cases")
    void keyCommandError(Case c) {
        ScriptedTransport t = ScriptedTransport.of(c.keyError());
        AtDialect d = c.factory().apply(t);
        assertThatThrownBy(() -> d.setIdentity(DialectCases.ID.devEui(), DialectCases.ID.joinEui(),
                DialectCases.ID.appKey(), Optional.empty()))
                .isInstanceOfSatisfying(AtException.class, e -> {
                    assertThat(e.code()).isEqualTo(AtException.Code.MODULE_ERROR);
                    assertThat(e.getMessage()).startsWith("module_error: ").contains(c.keyErrorLabel())
                            .doesNotContainIgnoringCase(DialectCases.KEY_HEX)
                            .doesNotContainIgnoringCase("2B:7E");
                });
        t.assertFinished();
    }

    @ParameterizedTest(name = "{0}: join fails")
    @MethodSource("cases")
    void joinFails(Case c) {
        ScriptedTransport t = ScriptedTransport.of(c.joinFailed());
        AtDialect d = c.factory().apply(t);
        // the station's deadline for the attempts is the dialect's longest join
        JoinResult j = d.retriesJoins() ? d.join(DialectCases.THREE_ATTEMPTS, d.longestJoin(DialectCases.THREE_ATTEMPTS)) : d.join(T);
        assertThat(j.joined()).isFalse();
        assertThat(j.event()).isNotBlank();
        t.assertFinished();
    }

    @ParameterizedTest(name = "{0}: silent module times out")
    @MethodSource("cases")
    void silentModuleTimesOut(Case c) {
        ScriptedTransport t = ScriptedTransport.of(c.silentIdentify());
        assertThatThrownBy(() -> c.factory().apply(t).identify())
                .isInstanceOfSatisfying(AtException.class,
                        e -> assertThat(e.code()).isEqualTo(AtException.Code.TIMEOUT));
    }

    @ParameterizedTest(name = "{0}: join event never arrives")
    @MethodSource("cases")
    void joinEventTimesOut(Case c) {
        // the join command is accepted, but no asynchronous line follows; a module that retries by itself is stopped
        String script = c.joinFailed().lines().filter(l -> !l.startsWith("@") && !l.startsWith("~"))
                .reduce("", (a, b) -> a + b + "\n") + c.stopJoin();
        ScriptedTransport t = ScriptedTransport.of(script);
        AtDialect d = c.factory().apply(t);
        assertThatThrownBy(() -> {
            if (d.retriesJoins()) {
                d.join(DialectCases.THREE_ATTEMPTS, T);
            } else {
                d.join(T);
            }
        }).isInstanceOfSatisfying(AtException.class, e -> assertThat(e.code()).isEqualTo(AtException.Code.TIMEOUT));
        t.assertFinished();
    }

    @ParameterizedTest(name = "{0}: DevEUI mismatch is named")
    @MethodSource("cases")
    void devEuiMismatch(Case c) {
        ScriptedTransport t = ScriptedTransport.of(c.devEuiMismatch());
        ReadBack rb = c.factory().apply(t).readBack();
        ProgramResult r = new ProgramResult(c.info(), Programmer.compare(DialectCases.ID, rb));
        assertThat(r.mismatches()).containsExactly(Field.DEV_EUI);
        assertThatThrownBy(r::requireOk).isInstanceOfSatisfying(AtException.class, e -> {
            assertThat(e.code()).isEqualTo(AtException.Code.READBACK_MISMATCH);
            assertThat(e.getMessage()).isEqualTo("readback_mismatch: read back differs in DevEUI");
        });
        t.assertFinished();
    }

    @ParameterizedTest(name = "{0}: AppKey mismatch is named without key values")
    @MethodSource("keyReadingCases")
    void appKeyMismatch(Case c) {
        ScriptedTransport t = ScriptedTransport.of(c.appKeyMismatch());
        ReadBack rb = c.factory().apply(t).readBack();
        ProgramResult r = new ProgramResult(c.info(), Programmer.compare(DialectCases.ID, rb));
        assertThat(r.mismatches()).containsExactly(Field.APP_KEY);
        assertThatThrownBy(r::requireOk).isInstanceOfSatisfying(AtException.class, e -> {
            assertThat(e.code()).isEqualTo(AtException.Code.READBACK_MISMATCH);
            assertThat(e.getMessage()).contains("AppKey")
                    .doesNotContainIgnoringCase(DialectCases.KEY_HEX)
                    .doesNotContainIgnoringCase(DialectCases.OTHER_KEY_HEX);
        });
        assertThat(rb.toString()).doesNotContainIgnoringCase(DialectCases.KEY_HEX)
                .doesNotContainIgnoringCase(DialectCases.OTHER_KEY_HEX);
        t.assertFinished();
    }

    @ParameterizedTest(name = "{0}: unconfirmed send")
    @MethodSource("cases")
    void unconfirmedSend(Case c) {
        ScriptedTransport t = ScriptedTransport.of(c.unconfirmedSend());
        SendResult s = c.factory().apply(t).send(2, PAYLOAD, false, T);
        assertThat(s.status()).isEqualTo(SendResult.Status.SENT);
        t.assertFinished();
    }

    @ParameterizedTest(name = "{0}: the uplink data rate is set with ADR off first")
    @MethodSource("cases")
    void theDataRateIsSetWithAdrOffFirst(Case c) {
        ScriptedTransport t = ScriptedTransport.of(DialectCases.dataRate3(c));
        c.factory().apply(t).dataRate(3);
        t.assertFinished();
    }

    @ParameterizedTest(name = "{0}: a data rate the module refuses is a module error")
    @MethodSource("cases")
    void aRefusedDataRateIsAModuleError(Case c) {
        ScriptedTransport t = ScriptedTransport.of(DialectCases.dataRate9Refused(c));
        assertThatThrownBy(() -> c.factory().apply(t).dataRate(9)).isInstanceOfSatisfying(AtException.class, e -> {
            assertThat(e.code()).isEqualTo(AtException.Code.MODULE_ERROR);
            assertThat(e.getMessage()).containsIgnoringCase("dr");
        });
        t.assertFinished();
    }

    @ParameterizedTest(name = "{0}: off-script command fails the test")
    @MethodSource("cases")
    void offScriptCommandFails(Case c) {
        ScriptedTransport t = ScriptedTransport.of("> AT+SOMETHING_ELSE\n< OK\n");
        assertThatThrownBy(() -> c.factory().apply(t).identify()).isInstanceOf(AssertionError.class)
                .hasMessageContaining("script expected");
    }

    @ParameterizedTest(name = "{0}: NwkKey on a 1.0.x dialect is refused")
    @MethodSource("cases")
    void nwkKeyRefusedWhereUnsupported(Case c) {
        if (c.fields().get(Field.NWK_KEY) != ProgramResult.FieldStatus.NOT_APPLICABLE) {
            return; // 1.1-capable dialect
        }
        ScriptedTransport t = ScriptedTransport.of("");
        AesKey nwk = AesKey.parse(DialectCases.OTHER_KEY_HEX);
        assertThatThrownBy(() -> c.factory().apply(t).setIdentity(DialectCases.ID.devEui(),
                DialectCases.ID.joinEui(), DialectCases.ID.appKey(), Optional.of(nwk)))
                .isInstanceOfSatisfying(AtException.class, e -> {
                    assertThat(e.code()).isEqualTo(AtException.Code.UNSUPPORTED);
                    assertThat(e.getMessage()).doesNotContainIgnoringCase(DialectCases.OTHER_KEY_HEX);
                });
        assertThat(t.sent()).isEqualTo(List.of());
    }
}
