package dev.notejam.backup.report;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * How one backup or verify run ended, as the metrics it publishes. A success publishes its timestamp, duration (and
 * size for a backup) and a failure count of 0, so the failure alarms see data every run; a failure publishes the
 * count 1, its timestamp and the duration until it failed.
 *
 * @param sizeBytes encrypted size of the stored backup (backup successes only)
 */
public record JobOutcome(Command command, String environment, boolean succeeded, Instant finishedAt, Duration duration,
                         OptionalLong sizeBytes) {

    /** The commands that report outcomes; restore and list are run by hand and watched by whoever runs them. */
    public enum Command {
        BACKUP(MetricSink.LAST_SUCCESS, MetricSink.BACKUP_DURATION, MetricSink.BACKUP_FAILURES, MetricSink.BACKUP_LAST_FAILURE),
        VERIFY(MetricSink.DRILL_LAST_SUCCESS, MetricSink.DRILL_DURATION, MetricSink.DRILL_FAILURES, MetricSink.DRILL_LAST_FAILURE);

        final String lastSuccess;
        final String duration;
        final String failures;
        final String lastFailure;

        Command(String lastSuccess, String duration, String failures, String lastFailure) {
            this.lastSuccess = lastSuccess;
            this.duration = duration;
            this.failures = failures;
            this.lastFailure = lastFailure;
        }
    }

    public static JobOutcome succeeded(Command command, String environment, Instant started, Instant finished, OptionalLong sizeBytes) {
        return new JobOutcome(command, environment, true, finished, Duration.between(started, finished), sizeBytes);
    }

    public static JobOutcome failed(Command command, String environment, Instant started, Instant finished) {
        return new JobOutcome(command, environment, false, finished, Duration.between(started, finished), OptionalLong.empty());
    }

    public enum Unit { SECONDS, BYTES, COUNT }

    public record Value(double value, Unit unit) {
    }

    /** Metric name to value, in a stable order; the same names in CloudWatch and in the log line. */
    public Map<String, Value> metrics() {
        Map<String, Value> metrics = new LinkedHashMap<>();
        if (succeeded) {
            metrics.put(command.lastSuccess, new Value(finishedAt.getEpochSecond(), Unit.SECONDS));
            sizeBytes.ifPresent(size -> metrics.put(MetricSink.SIZE, new Value(size, Unit.BYTES)));
        } else {
            metrics.put(command.lastFailure, new Value(finishedAt.getEpochSecond(), Unit.SECONDS));
        }
        metrics.put(command.duration, new Value(duration.toMillis() / 1000.0, Unit.SECONDS));
        metrics.put(command.failures, new Value(succeeded ? 0 : 1, Unit.COUNT));
        return metrics;
    }
}
