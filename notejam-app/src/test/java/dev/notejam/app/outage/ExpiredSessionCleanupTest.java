package dev.notejam.app.outage;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.notejam.app.testsupport.LogCapture;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.data.redis.RedisSystemException;

import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@link ExpiredSessionCleanup} logs: one WARN line without a stack trace for a whole Redis outage, one line when
 * the clean-up works again, and every other failure as an ERROR with its stack trace. The Redis failures are the
 * exceptions Spring Data Redis and Lettuce throw; the outage against a real Redis is in DependencyOutageTest.
 */
class ExpiredSessionCleanupTest {

    private final AtomicReference<RuntimeException> nextFailure = new AtomicReference<>();
    private final ExpiredSessionCleanup cleanup = new ExpiredSessionCleanup(() -> {
        RuntimeException failure = nextFailure.get();
        if (failure != null) {
            throw failure;
        }
    }, Duration.ofMinutes(1));

    @Test
    void aRedisOutageLogsOneWarningWithoutStackTraceAndOneLineWhenItWorksAgain() {
        try (LogCapture log = LogCapture.ofRoot()) {
            cleanup.runOnce();
            nextFailure.set(new RedisConnectionFailureException("Unable to connect to Redis",
                    new RedisConnectionException("Unable to connect to 10.0.0.1:6379")));
            cleanup.runOnce();
            cleanup.runOnce();
            cleanup.runOnce();
            nextFailure.set(null);
            cleanup.runOnce();
            cleanup.runOnce();

            List<ILoggingEvent> lines = cleanupLines(log);
            assertThat(lines).extracting(ILoggingEvent::getLevel).containsExactly(Level.WARN, Level.INFO);
            assertThat(lines).allSatisfy(line -> assertThat(line.getThrowableProxy()).as("no stack trace").isNull());
            assertThat(lines.get(0).getFormattedMessage())
                    .isEqualTo("Clean-up of expired sessions skipped: Redis is unavailable (RedisConnectionException: "
                            + "Unable to connect to 10.0.0.1:6379). Retrying every 60 s; no further line until it works again");
            assertThat(lines.get(1).getFormattedMessage()).contains("works again").contains("3 run(s) skipped");
        }
    }

    @Test
    void aCommandCutOffByTheServerGoingAwayIsPartOfTheOutage() {
        try (LogCapture log = LogCapture.ofRoot()) {
            // what a run in flight gets when Redis is killed: the connection is reset under the command
            nextFailure.set(new RedisSystemException("Redis exception",
                    new RedisException(new SocketException("Connection reset"))));
            cleanup.runOnce();
            nextFailure.set(new RedisSystemException("Redis exception", new RedisException("Connection closed")));
            cleanup.runOnce();
            nextFailure.set(new RedisSystemException("Redis exception", new RedisException("Connection disconnected")));
            cleanup.runOnce();

            List<ILoggingEvent> lines = cleanupLines(log);
            assertThat(lines).extracting(ILoggingEvent::getLevel).containsExactly(Level.WARN);
            assertThat(lines.get(0).getThrowableProxy()).isNull();
            assertThat(lines.get(0).getFormattedMessage()).contains("(SocketException: Connection reset)");
        }
    }

    @Test
    void eachOutageGetsItsOwnWarning() {
        try (LogCapture log = LogCapture.ofRoot()) {
            for (int outage = 0; outage < 2; outage++) {
                nextFailure.set(new RedisConnectionFailureException("Unable to connect to Redis"));
                cleanup.runOnce();
                nextFailure.set(null);
                cleanup.runOnce();
            }
            assertThat(cleanupLines(log)).extracting(ILoggingEvent::getLevel)
                    .containsExactly(Level.WARN, Level.INFO, Level.WARN, Level.INFO);
        }
    }

    @Test
    void anyOtherFailureIsAnErrorWithItsStackTraceOnEveryRun() {
        try (LogCapture log = LogCapture.ofRoot()) {
            nextFailure.set(new IllegalStateException("a bug in the clean-up"));
            cleanup.runOnce();
            cleanup.runOnce();

            List<ILoggingEvent> lines = cleanupLines(log);
            assertThat(lines).extracting(ILoggingEvent::getLevel).containsExactly(Level.ERROR, Level.ERROR);
            assertThat(lines).allSatisfy(line -> {
                assertThat(line.getThrowableProxy()).as("stack trace kept").isNotNull();
                assertThat(line.getThrowableProxy().getMessage()).isEqualTo("a bug in the clean-up");
            });
        }
    }

    @Test
    void theScheduledTaskRunsTheCleanupAndStopsOnClose() throws InterruptedException {
        CountDownLatch runs = new CountDownLatch(2);
        try (ExpiredSessionCleanup scheduled = new ExpiredSessionCleanup(runs::countDown, Duration.ofMillis(20))) {
            scheduled.start();
            assertThat(runs.await(5, TimeUnit.SECONDS)).as("ran twice on its own").isTrue();
            assertThat(scheduled.isRunning()).isTrue();
            scheduled.stop();
            assertThat(scheduled.isRunning()).isFalse();
        }
    }

    private static List<ILoggingEvent> cleanupLines(LogCapture log) {
        return log.events(e -> e.getLoggerName().equals(ExpiredSessionCleanup.class.getName()));
    }
}
