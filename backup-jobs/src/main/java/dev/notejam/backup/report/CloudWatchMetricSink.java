package dev.notejam.backup.report;

import java.util.List;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;

/**
 * Publishes each run's outcome with one PutMetricData call to Notejam/Backup, dimension Environment (the only
 * namespace the backup role may write to). The alarms of infra-terraform's observability module watch these names.
 */
public final class CloudWatchMetricSink implements MetricSink {

    private final CloudWatchClient cloudWatch;

    public CloudWatchMetricSink(CloudWatchClient cloudWatch) {
        this.cloudWatch = cloudWatch;
    }

    @Override
    public void publish(JobOutcome outcome) {
        Dimension env = Dimension.builder().name(DIMENSION).value(outcome.environment()).build();
        List<MetricDatum> data = outcome.metrics().entrySet().stream()
                .map(m -> MetricDatum.builder().metricName(m.getKey()).dimensions(env).timestamp(outcome.finishedAt())
                        .unit(unit(m.getValue().unit())).value(m.getValue().value()).build())
                .toList();
        cloudWatch.putMetricData(r -> r.namespace(NAMESPACE).metricData(data));
    }

    private static StandardUnit unit(JobOutcome.Unit unit) {
        return switch (unit) {
            case SECONDS -> StandardUnit.SECONDS;
            case BYTES -> StandardUnit.BYTES;
            case COUNT -> StandardUnit.COUNT;
        };
    }
}
