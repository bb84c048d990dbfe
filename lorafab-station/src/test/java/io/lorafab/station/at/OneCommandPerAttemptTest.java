package io.lorafab.station.at;

import static org.assertj.core.api.Assertions.assertThat;

import io.lorafab.station.line.AtFixture;
import io.lorafab.station.line.Fixture;
import java.time.Duration;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The dialects that make one join attempt per command, driven by the station's fixture through the vendors'
 * documented join sessions (RN2483 command reference, {@code mac join otaa}: {@code ok}, then {@code accepted} or
 * {@code denied}; STM32WL AT_Slave, AN5481: {@code AT+JOIN=1}, {@code OK}, then {@code +EVT:JOINED} or
 * {@code +EVT:JOIN FAILED}; Murata/Arduino modem: {@code AT+JOIN}, {@code +OK}, then {@code +EVENT=1,1} or
 * {@code +EVENT=1,0}), on the transcript's clock: each attempt takes its receive windows' time, the next starts a
 * period after the previous one started (or when it ended, if later), and the station's deadline is the dialect's
 * longest join, which lets the last attempt finish.
 */
class OneCommandPerAttemptTest {

    record Dialect(String name, Function<AtTransport, AtDialect> driver, String join, String started, String joined,
            String failed) {
        @Override
        public String toString() {
            return name;
        }

        /** One attempt: the command, its acknowledgement, the receive windows' time, the verdict. */
        String attempt(boolean accepted) {
            return "> " + join + "\n< " + started + "\n~ 9s\n@ " + (accepted ? joined : failed) + "\n";
        }
    }

    static Stream<Dialect> dialects() {
        return Stream.of(
                new Dialect("Microchip RN2483", MicrochipRn2483::new, "mac join otaa", "ok", "accepted", "denied"),
                new Dialect("STM32WL AT_Slave", Stm32wlAtSlave::new, "AT+JOIN=1", "OK", "+EVT:JOINED", "+EVT:JOIN FAILED"),
                new Dialect("Murata ABZ", MurataAbz::new, "AT+JOIN", "+OK", "+EVENT=1,1", "+EVENT=1,0"));
    }

    /** Three attempts at the shortest period, 7 s, shorter than an attempt that hears RX2 at SF12 (9 s here). */
    private static final JoinAttempts THREE_AT_7S = new JoinAttempts(3, Duration.ofSeconds(7));

    private static Fixture.Step join(Dialect d, String transcript) {
        ScriptedTransport t = ScriptedTransport.of(transcript);
        AtDialect module = d.driver().apply(t);
        AtFixture f = new AtFixture(module, THREE_AT_7S, t::sleep, t::nanoTime);
        Fixture.Step s = f.join(module.longestJoin(THREE_AT_7S));
        t.assertFinished();
        return s;
    }

    @ParameterizedTest(name = "{0}: join failure after all attempts, the last one not cut off by the deadline")
    @MethodSource("dialects")
    void joinFailureAfterAllAttempts(Dialect d) {
        // each next attempt starts at once: the previous one outlasted the period
        Fixture.Step s = join(d, d.attempt(false) + d.attempt(false) + d.attempt(false));
        assertThat(s.ok()).isFalse();
        // the fixture says what it saw; the runner decides the reason from the server's evidence
        assertThat(s.reasonCode()).isEqualTo("not_joined");
        assertThat(s.measurements()).containsEntry("joinAttempts", 3).containsEntry("joinEvent", d.failed());
    }

    @ParameterizedTest(name = "{0}: join success at the second attempt")
    @MethodSource("dialects")
    void joinSuccessAtTheSecondAttempt(Dialect d) {
        Fixture.Step s = join(d, d.attempt(false) + d.attempt(true));
        assertThat(s.ok()).isTrue();
        assertThat(s.measurements()).containsEntry("joinAttempts", 2);
    }

    @ParameterizedTest(name = "{0}: a re-test of a joined module joins again over the air")
    @MethodSource("dialects")
    void reTestOfAJoinedModule(Dialect d) {
        // these firmwares keep no "joined already" state that answers instead of joining: the same command starts a
        // new join-request, and only its own verdict counts
        ScriptedTransport t = ScriptedTransport.of(d.attempt(true) + d.attempt(false));
        AtDialect module = d.driver().apply(t);
        assertThat(module.join(Duration.ofSeconds(10)).joined()).isTrue();
        assertThat(module.join(Duration.ofSeconds(10))).isEqualTo(new JoinResult(false, d.failed()));
        t.assertFinished();
    }
}
