package dev.notejam.app.web;

import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/** "Today at 10:15", "Yesterday", "3 days ago", "02 Feb 2013", in the clock's zone. Used as {@code @smartDates} in templates. */
@Component("smartDates")
public class SmartDates {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm", Locale.ENGLISH);
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("dd MMM yyyy", Locale.ENGLISH);

    private final Clock clock;

    public SmartDates(Clock clock) {
        this.clock = clock;
    }

    public String format(Instant instant) {
        ZonedDateTime when = instant.atZone(clock.getZone());
        LocalDate today = LocalDate.now(clock);
        long daysAgo = ChronoUnit.DAYS.between(when.toLocalDate(), today);
        if (daysAgo <= 0) {
            return "Today at " + TIME.format(when);
        }
        if (daysAgo == 1) {
            return "Yesterday";
        }
        if (daysAgo <= 7) {
            return daysAgo + " days ago";
        }
        return DATE.format(when);
    }
}
