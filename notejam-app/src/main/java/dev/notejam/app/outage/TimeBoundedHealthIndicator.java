package dev.notejam.app.outage;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

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
 */
final class TimeBoundedHealthIndicator implements HealthIndicator {

    private final String name;
    private final HealthIndicator delegate;
    private final Duration timeout;
    private final Runnable onTimeout;
    private final ExecutorService thread;
    private CompletableFuture<Health> running;

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
