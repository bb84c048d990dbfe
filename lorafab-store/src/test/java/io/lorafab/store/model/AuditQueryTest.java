package io.lorafab.store.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lorafab.store.StoreException;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The time bounds and limits users give {@code lorafab audit} and {@code GET /api/audit}. */
class AuditQueryTest {

    static final Instant NOW = Instant.parse("2026-12-06T12:30:00Z");

    static Stream<Arguments> times() {
        return Stream.of(
                Arguments.of("an instant", "2026-12-01T08:15:30Z", "2026-12-01T08:15:30Z"),
                Arguments.of("an instant with a fraction", "2026-12-01T08:15:30.250Z", "2026-12-01T08:15:30.250Z"),
                Arguments.of("a day is its first instant, UTC", "2026-12-01", "2026-12-01T00:00:00Z"),
                Arguments.of("seconds ago", "90s", "2026-12-06T12:28:30Z"),
                Arguments.of("minutes ago", "90m", "2026-12-06T11:00:00Z"),
                Arguments.of("hours ago", "24h", "2026-12-05T12:30:00Z"),
                Arguments.of("days ago", "7d", "2026-11-29T12:30:00Z"),
                Arguments.of("blanks around", "  7d ", "2026-11-29T12:30:00Z"));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("times")
    void aTimeIsAnInstantADayOrAnAge(String name, String text, String expected) {
        assertThat(AuditQuery.parseTime(text, NOW, "--since")).isEqualTo(Instant.parse(expected));
    }

    static Stream<Arguments> badTimes() {
        return Stream.of(
                Arguments.of("a word", "yesterday"),
                Arguments.of("an age without a unit", "24"),
                Arguments.of("an unknown unit", "3w"),
                Arguments.of("a local time without its zone", "2026-12-01T08:15:30"),
                Arguments.of("no such day", "2026-02-30"));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("badTimes")
    void anythingElseIsRefusedNamingTheOption(String name, String text) {
        assertThatThrownBy(() -> AuditQuery.parseTime(text, NOW, "--until"))
                .isInstanceOf(StoreException.class)
                .hasMessage("--until: '" + text + "' is not a time (use 2026-12-06T10:00:00Z, 2026-12-06 or an age such as 24h, 7d)")
                .extracting(e -> ((StoreException) e).code().code()).isEqualTo("invalid_input");
    }

    @ParameterizedTest(name = "limit {0}")
    @MethodSource("badLimits")
    void aLimitIsOneToTenThousand(String limit) {
        assertThatThrownBy(() -> AuditQuery.newest(AuditQuery.parseLimit(limit))).hasMessage("limit must be 1..10000");
    }

    static Stream<String> badLimits() {
        return Stream.of("0", "-1", "10001", "ten", "");
    }

    @ParameterizedTest(name = "[{index}] ''{0}''")
    @MethodSource("noBound")
    void noTextIsNoBound(String text) {
        assertThat(AuditQuery.parseTime(text, NOW, "--since")).isNull();
    }

    static Stream<String> noBound() {
        return Stream.of(null, "", "  ");
    }

    @org.junit.jupiter.api.Test
    void sinceMustComeBeforeUntil() {
        Instant t = Instant.parse("2026-12-06T00:00:00Z");
        assertThatThrownBy(() -> new AuditQuery(null, null, null, t, t, 10)).hasMessage(
                "since (2026-12-06T00:00:00Z) must be before until (2026-12-06T00:00:00Z)");
        assertThat(AuditQuery.parseLimit(null)).isEqualTo(100);
    }
}
