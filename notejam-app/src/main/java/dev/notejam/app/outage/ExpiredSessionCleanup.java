package dev.notejam.app.outage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs Spring Session's clean-up of expired sessions in Redis (the per-minute expiry index), in place of the task
 * Spring Session schedules itself. That task's failures reach the scheduler's default error handler, which logs an
 * ERROR with a stack trace on every run, so a Redis outage filled the log with one stack trace a minute per pod.
 * <p>
 * Here a run that fails because Redis is unreachable ({@link Dependency#unavailableIn}) logs one WARN line, without
 * a stack trace, for the whole outage, and the first run that works again says so. Any other failure is a bug and
 * is still logged as an ERROR with its stack trace, on every run.
 * <p>
 * A lifecycle bean of the last phase: it stops first, before the Redis connection factory (phase 0), so no run meets
 * a factory that is shutting down.
 */
public class ExpiredSessionCleanup implements SmartLifecycle, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ExpiredSessionCleanup.class);

    private final Runnable cleanup;
    private final Duration interval;
    private ScheduledExecutorService scheduler;
    /** Runs skipped since the outage began; 0 while Redis answers. Only the scheduler's one thread touches it. */
    private int skippedDuringOutage;

    public ExpiredSessionCleanup(Runnable cleanup, Duration interval) {
        this.cleanup = cleanup;
        this.interval = interval;
    }

    /** One run: what the scheduler does every {@code interval}. */
    public void runOnce() {
        try {
            cleanup.run();
        } catch (RuntimeException failure) {
            if (Thread.currentThread().isInterrupted()) {
                return; // stopped while running: the app is shutting down
            }
            if (Dependency.unavailableIn(failure).isEmpty()) {
                log.error("Clean-up of expired sessions failed", failure);
                return;
            }
            if (skippedDuringOutage++ == 0) {
                log.warn("Clean-up of expired sessions skipped: Redis is unavailable ({}). Retrying every {} s; "
                                + "no further line until it works again",
                        rootMessage(failure), interval.toSeconds());
            }
            return;
        }
        if (skippedDuringOutage > 0) {
            log.info("Clean-up of expired sessions works again: Redis is reachable ({} run(s) skipped during the outage)",
                    skippedDuringOutage);
            skippedDuringOutage = 0;
        }
    }

    @Override
    public synchronized void start() {
        if (scheduler == null) {
            scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, "expired-session-cleanup");
                thread.setDaemon(true);
                return thread;
            });
            long millis = interval.toMillis();
            scheduler.scheduleWithFixedDelay(() -> {
                try {
                    runOnce();
                } catch (Error unexpected) {
                    // anything escaping would silently end the schedule: log it and run again next time
                    log.error("Clean-up of expired sessions failed", unexpected);
                }
            }, millis, millis, TimeUnit.MILLISECONDS);
        }
    }

    /** Stops scheduling and waits (at most 5 s) for a run in progress to end. */
    @Override
    public synchronized void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            try {
                scheduler.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            scheduler = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return scheduler != null;
    }

    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE;
    }

    @Override
    public void close() {
        stop();
    }

    /** The innermost cause's type and message: what failed, in one line. */
    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        for (int depth = 0; root.getCause() != null && root.getCause() != root && depth < 20; depth++) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
