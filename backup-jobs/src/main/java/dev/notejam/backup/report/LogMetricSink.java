package dev.notejam.backup.report;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes the outcome's metrics as one JSON log line (step "metrics"), for environments without CloudWatch metrics
 * (dev): the shipped log lines are what its alarms read there.
 */
public final class LogMetricSink implements MetricSink {

    private final EventLog log;

    public LogMetricSink(EventLog log) {
        this.log = log;
    }

    @Override
    public void publish(JobOutcome outcome) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("namespace", NAMESPACE);
        fields.put(DIMENSION, outcome.environment());
        outcome.metrics().forEach((name, value) -> fields.put(name, value.unit() == JobOutcome.Unit.SECONDS && !name.endsWith("Timestamp")
                ? value.value() : (long) value.value()));
        log.info("metrics", outcome.command().name().toLowerCase() + (outcome.succeeded() ? " succeeded" : " failed"), fields);
    }
}
