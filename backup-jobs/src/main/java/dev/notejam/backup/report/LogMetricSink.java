package dev.notejam.backup.report;

import java.time.Instant;
import java.util.Map;

/** Writes the metrics as a JSON log line, for clusters that scrape logs instead of CloudWatch. */
public final class LogMetricSink implements MetricSink {

    private final EventLog log;

    public LogMetricSink(EventLog log) {
        this.log = log;
    }

    @Override
    public void backupSucceeded(String environment, Instant finishedAt, long sizeBytes) {
        log.info("metrics", "backup metrics", Map.of("namespace", NAMESPACE, DIMENSION, environment,
                LAST_SUCCESS, finishedAt.getEpochSecond(), SIZE, sizeBytes));
    }
}
