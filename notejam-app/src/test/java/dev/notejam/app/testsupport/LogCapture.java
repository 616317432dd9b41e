package dev.notejam.app.testsupport;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/** Every log event of the running app (the root logger), from {@link #ofRoot()} until {@link #close()}. */
public final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {

    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final List<ILoggingEvent> events = new CopyOnWriteArrayList<>();

    private LogCapture() {
        setName("test-log-capture");
        setContext(root.getLoggerContext());
        start();
        root.addAppender(this);
    }

    public static LogCapture ofRoot() {
        return new LogCapture();
    }

    @Override
    protected void append(ILoggingEvent event) {
        event.prepareForDeferredProcessing();
        events.add(event);
    }

    public List<ILoggingEvent> events(Predicate<ILoggingEvent> which) {
        return events.stream().filter(which).toList();
    }

    /** Waits until an event matches; how long that took. Fails after {@code atMost}, listing what was logged. */
    public Duration await(Predicate<ILoggingEvent> which, Duration atMost) {
        long start = System.nanoTime();
        while (events.stream().noneMatch(which)) {
            if (System.nanoTime() - start > atMost.toNanos()) {
                throw new AssertionError("no such log line within " + atMost + "; logged: "
                        + events.stream().map(e -> e.getLevel() + " " + e.getLoggerName() + ": " + e.getFormattedMessage()).toList());
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    @Override
    public void close() {
        root.detachAppender(this);
        stop();
    }
}
