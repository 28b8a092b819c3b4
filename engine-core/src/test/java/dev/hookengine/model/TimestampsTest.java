package dev.hookengine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The hand-written form of timestamps agrees with the JDK's formatter and parser everywhere. */
class TimestampsTest {

    private static final DateTimeFormatter JDK =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    @Test
    void formatsAsTheFormatterDoes() {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 20_000; i++) {
            Instant instant = Instant.ofEpochSecond(
                    random.nextLong(-62_167_219_200L, 253_402_300_800L), random.nextInt(1_000_000_000));
            assertThat(Timestamps.format(instant)).isEqualTo(JDK.format(instant));
        }
        for (String edge : new String[] {
            "0000-01-01T00:00:00Z",
            "9999-12-31T23:59:59.999999999Z",
            "2024-02-29T23:59:59.999Z",
            "1969-12-31T23:59:59.999Z",
            "1970-01-01T00:00:00Z"
        }) {
            Instant instant = Instant.parse(edge);
            assertThat(Timestamps.format(instant)).isEqualTo(JDK.format(instant));
        }
    }

    @Test
    void yearsOutsideFourDigitsGoThroughTheFormatter() {
        Instant late = Instant.parse("+10000-01-01T00:00:00Z");
        Instant early = Instant.parse("-0001-06-15T12:00:00Z");

        assertThat(Timestamps.format(late)).isEqualTo(JDK.format(late));
        assertThat(Timestamps.format(early)).isEqualTo(JDK.format(early));
    }

    @Test
    void readsWhatItWritesAndWhatTheJdkReads() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 20_000; i++) {
            Instant instant = Timestamps.truncate(Instant.ofEpochSecond(
                    random.nextLong(-62_167_219_200L, 253_402_300_800L), random.nextInt(1_000_000_000)));
            String written = Timestamps.format(instant);
            assertThat(Timestamps.parse(written))
                    .isEqualTo(instant)
                    .isEqualTo(OffsetDateTime.parse(written).toInstant());
        }
        assertThat(Timestamps.parse("2021-04-27T12:01:13+02:00")).isEqualTo(Instant.parse("2021-04-27T10:01:13Z"));
        assertThat(Timestamps.parse("2021-04-27T12:01:13.123456Z"))
                .isEqualTo(Instant.parse("2021-04-27T12:01:13.123456Z"));
    }

    @Test
    void refusesWhatTheJdkRefuses() {
        for (String bad : new String[] {
            "2021-13-01T00:00:00.000Z",
            "2021-02-30T00:00:00.000Z",
            "2021-04-27T24:00:00.000Z",
            "2021-04-27T12:01:1x.000Z",
            "2021-04-27 12:01:13.000Z",
            "2021-04-27"
        }) {
            assertThatThrownBy(() -> Timestamps.parse(bad)).as(bad).isInstanceOf(DateTimeParseException.class);
        }
    }
}
