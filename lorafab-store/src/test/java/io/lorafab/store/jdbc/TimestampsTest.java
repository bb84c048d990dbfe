package io.lorafab.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TimestampsTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"1970-01-01T00:00:00Z", "2026-12-07T05:28:03.818Z", "2000-02-29T23:59:59.999999999Z",
            "1969-12-31T23:59:59.5Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "2024-03-01T00:00:00.000001Z",
            "1900-02-28T12:00:00.120Z"})
    void readsWhatInstantParseReads(String text) {
        assertThat(Timestamps.parse(text)).isEqualTo(Instant.parse(text));
    }

    @Test
    void everyInstantTheStoreWritesReadsBackUnchanged() {
        SplittableRandom random = new SplittableRandom(20261207);
        long min = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
        long max = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        for (int i = 0; i < 200_000; i++) {
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant t = Instant.ofEpochSecond(random.nextLong(min, max + 1), nanos);
            assertThat(Timestamps.parse(t.toString())).as(t.toString()).isEqualTo(t);
        }
    }

    @Test
    void writesWhatInstantToStringWrites() {
        SplittableRandom random = new SplittableRandom(20261208);
        long min = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
        long max = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        for (int i = 0; i < 200_000; i++) {
            int nanos = switch (i % 5) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1000;
                case 3 -> random.nextInt(10) * 100_000_000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant t = Instant.ofEpochSecond(random.nextLong(min, max + 1), nanos);
            assertThat(Timestamps.text(t)).isEqualTo(t.toString());
        }
    }

    /** The ends of the directly written range, the days around leap days and the epoch, and years beyond it. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z", "1970-01-01T00:00:00Z",
            "1969-12-31T23:59:59.999Z", "2000-02-29T12:00:00.000001Z", "2100-03-01T00:00:00Z", "1600-02-29T00:00:00Z",
            "-0001-12-31T23:59:59Z", "+10000-01-01T00:00:00Z", "-1000000-06-01T00:00:00.5Z"})
    void writesTheEdgesAsInstantToStringDoes(String text) {
        Instant t = Instant.parse(text);
        assertThat(Timestamps.text(t)).isEqualTo(t.toString());
    }

    /** Texts outside the one shape go to Instant.parse: read as it reads them (24:00 is the next midnight), refused as it refuses them. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"2026-02-29T00:00:00Z", "2026-04-31T00:00:00Z", "2026-12-07T24:00:00Z", "2026-12-07T05:60:00Z",
            "2026-13-01T00:00:00Z", "2026-12-07 05:28:03Z", "2026-12-07T05:28:03.Z", "2026-12-07T05:28:03.1234567890Z",
            "2026-12-07T05:28:03", "2026-1x-07T05:28:03Z", ""})
    void otherTextIsReadOrRefusedExactlyAsInstantParseDoes(String text) {
        Instant expected;
        try {
            expected = Instant.parse(text);
        } catch (DateTimeParseException refused) {
            assertThatThrownBy(() -> Timestamps.parse(text)).isInstanceOf(DateTimeParseException.class);
            return;
        }
        assertThat(Timestamps.parse(text)).isEqualTo(expected);
    }

    @Test
    void aLeapSecondAndAnOffsetAreLeftToInstantParse() {
        for (String text : new String[] {"2016-12-31T23:59:60Z", "2026-12-07T06:28:03+01:00", "+10000-01-01T00:00:00Z"}) {
            assertThat(Timestamps.parse(text)).as(text).isEqualTo(Instant.parse(text));
        }
    }
}
