package dev.notejam.app.outage;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.notejam.app.testsupport.LogCapture;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** One line when a store's check goes DOWN, one when it is UP again, none in between and never a stack trace. */
class TimeBoundedHealthIndicatorTest {

    /** A check that fails as Spring Boot's do: AbstractHealthIndicator turns the exception into DOWN. */
    private static final class SwitchableCheck extends AbstractHealthIndicator {
        final AtomicBoolean storeUp = new AtomicBoolean(true);

        @Override
        protected void doHealthCheck(Health.Builder builder) {
            if (!storeUp.get()) {
                throw new IllegalStateException("Connection refused: /127.0.0.1:6379");
            }
            builder.up();
        }
    }

    @Test
    void anOutageIsLoggedOnceWhenItStartsAndOnceWhenItEndsWithoutStackTrace() {
        SwitchableCheck store = new SwitchableCheck();
        TimeBoundedHealthIndicator check = new TimeBoundedHealthIndicator("redis", store, Duration.ofSeconds(5));
        try (LogCapture log = LogCapture.ofRoot()) {
            assertThat(check.health().getStatus()).isEqualTo(Status.UP);
            store.storeUp.set(false);
            for (int probe = 0; probe < 5; probe++) {
                assertThat(check.health().getStatus()).isEqualTo(Status.DOWN);
            }
            store.storeUp.set(true);
            assertThat(check.health().getStatus()).isEqualTo(Status.UP);
            assertThat(check.health().getStatus()).isEqualTo(Status.UP);

            var lines = log.events(e -> e.getLoggerName().equals(TimeBoundedHealthIndicator.class.getName()));
            assertThat(lines).extracting(ILoggingEvent::getLevel).containsExactly(Level.WARN, Level.INFO);
            assertThat(lines.get(0).getFormattedMessage())
                    .isEqualTo("Health check redis is DOWN: java.lang.IllegalStateException: Connection refused: /127.0.0.1:6379;"
                            + " no further line until it is UP again");
            assertThat(lines.get(1).getFormattedMessage()).matches("Health check redis is UP again after \\d+ s");
            assertThat(log.events(e -> e.getLoggerName().equals(TimeBoundedHealthIndicator.class.getName())
                    && e.getThrowableProxy() != null)).isEmpty();
        }
    }

    @Test
    void aCheckThatDoesNotAnswerIsLoggedOnceWithItsDeadline() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        TimeBoundedHealthIndicator check = new TimeBoundedHealthIndicator("db", () -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Health.up().build();
        }, Duration.ofMillis(50));
        try (LogCapture log = LogCapture.ofRoot()) {
            assertThat(check.health().getStatus()).isEqualTo(Status.DOWN);
            assertThat(check.health().getStatus()).isEqualTo(Status.DOWN);
            release.countDown();
            Thread.sleep(100); // the hanging check ends; the next probe starts a fresh one
            assertThat(check.health().getStatus()).isEqualTo(Status.UP);

            var lines = log.events(e -> e.getLoggerName().equals(TimeBoundedHealthIndicator.class.getName()));
            assertThat(lines).extracting(ILoggingEvent::getLevel).containsExactly(Level.WARN, Level.INFO);
            assertThat(lines.get(0).getFormattedMessage())
                    .isEqualTo("Health check db is DOWN: db did not answer within 50 ms; no further line until it is UP again");
            assertThat(lines.get(1).getFormattedMessage()).startsWith("Health check db is UP again after ");
        }
    }
}
