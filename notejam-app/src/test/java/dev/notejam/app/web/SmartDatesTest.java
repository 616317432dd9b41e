package dev.notejam.app.web;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;

class SmartDatesTest {

    /** "Now" is 2026-03-10 00:30 in Berlin (UTC+1), i.e. 2026-03-09T23:30Z: day boundaries differ by zone. */
    private final SmartDates berlin = new SmartDates(Clock.fixed(Instant.parse("2026-03-09T23:30:00Z"), ZoneId.of("Europe/Berlin")));

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "2026-03-09T23:29:00Z, Today at 00:29",
            "2026-03-09T23:00:00Z, Today at 00:00",
            "2026-03-09T22:59:59Z, Yesterday",
            "2026-03-08T23:00:00Z, Yesterday",
            "2026-03-08T22:59:59Z, 2 days ago",
            "2026-03-02T23:00:00Z, 7 days ago",
            "2026-03-02T22:59:59Z, 02 Mar 2026",
            "2013-02-02T12:00:00Z, 02 Feb 2013",
            "2026-03-10T08:00:00Z, Today at 09:00"})
    void formatsRelativeToTheConfiguredZone(String instant, String expected) {
        assertThat(berlin.format(Instant.parse(instant))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "UTC {0} -> {1}")
    @CsvSource({"2026-03-09T00:00:00Z, Today at 00:00", "2026-03-08T23:59:59Z, Yesterday"})
    void sameInstantsInUtcFallOnOtherDays(String instant, String expected) {
        SmartDates utc = new SmartDates(Clock.fixed(Instant.parse("2026-03-09T23:30:00Z"), ZoneId.of("UTC")));
        assertThat(utc.format(Instant.parse(instant))).isEqualTo(expected);
    }
}
