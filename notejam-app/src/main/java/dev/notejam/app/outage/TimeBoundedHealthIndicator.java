package dev.notejam.app.outage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A health check that answers DOWN once its time is up, instead of waiting for a store that does not answer.
 * <p>
 * Spring Boot runs the readiness checks one after the other and none has a deadline of its own: a database check
 * waits for the pool's connection timeout, and a probe with a 2-second timeout then sees no answer at all. Here each
 * check runs on its own thread and is given {@code timeout}; a check still running from an earlier probe is not
 * started again (it would pile threads up on a hanging store), the answer is DOWN until it ends.
 * <p>
 * A store's outage is logged twice, one line each, no stack trace: when its check first answers DOWN and when it is
 * UP again. Spring Boot's own checks would log a WARN with the whole stack trace on every probe (application.yml
 * quiets them), several kilobytes every few seconds per pod for as long as the outage lasts.
 */
final class TimeBoundedHealthIndicator implements HealthIndicator {

    private static final Logger log = LoggerFactory.getLogger(TimeBoundedHealthIndicator.class);

    private final String name;
    private final HealthIndicator delegate;
    private final Duration timeout;
    private final Runnable onTimeout;
    private final ExecutorService thread;
    private CompletableFuture<Health> running;
    private long downSinceNanos;
    private boolean down;

    TimeBoundedHealthIndicator(String name, HealthIndicator delegate, Duration timeout) {
        this(name, delegate, timeout, () -> { });
    }

    TimeBoundedHealthIndicator(String name, HealthIndicator delegate, Duration timeout, Runnable onTimeout) {
        this.name = name;
        this.delegate = delegate;
        this.timeout = timeout;
        this.onTimeout = onTimeout;
        this.thread = Executors.newSingleThreadExecutor(runnable -> {
            Thread t = new Thread(runnable, "health-check-" + name);
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public Health health() {
        Health health = boundedCheck();
        logChangeOfStatus(health);
        return health;
    }

    private synchronized void logChangeOfStatus(Health health) {
        boolean nowDown = !Status.UP.equals(health.getStatus());
        if (nowDown && !down) {
            downSinceNanos = System.nanoTime();
            log.warn("Health check {} is {}: {}; no further line until it is UP again", name, health.getStatus(),
                    health.getDetails().getOrDefault("error", "no detail"));
        } else if (!nowDown && down) {
            log.info("Health check {} is UP again after {} s", name,
                    Duration.ofNanos(System.nanoTime() - downSinceNanos).toSeconds());
        }
        down = nowDown;
    }

    private Health boundedCheck() {
        CompletableFuture<Health> check;
        synchronized (this) {
            if (running == null || running.isDone()) {
                running = CompletableFuture.supplyAsync(delegate::health, thread);
            }
            check = running;
        }
        try {
            return check.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException slow) {
            onTimeout.run();
            return Health.down().withDetail("error", name + " did not answer within " + timeout.toMillis() + " ms").build();
        } catch (ExecutionException failed) {
            return Health.down(failed.getCause()).build();
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return Health.down().withDetail("error", "interrupted").build();
        }
    }
}
