package dev.notejam.backup.report;

import java.time.Instant;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;

/** Publishes Notejam/Backup LastSuccessTimestamp and BackupSizeBytes per Environment; alarms watch their age. */
public final class CloudWatchMetricSink implements MetricSink {

    private final CloudWatchClient cloudWatch;

    public CloudWatchMetricSink(CloudWatchClient cloudWatch) {
        this.cloudWatch = cloudWatch;
    }

    @Override
    public void backupSucceeded(String environment, Instant finishedAt, long sizeBytes) {
        Dimension env = Dimension.builder().name(DIMENSION).value(environment).build();
        cloudWatch.putMetricData(r -> r.namespace(NAMESPACE).metricData(
                MetricDatum.builder().metricName(LAST_SUCCESS).dimensions(env).timestamp(finishedAt)
                        .unit(StandardUnit.SECONDS).value((double) finishedAt.getEpochSecond()).build(),
                MetricDatum.builder().metricName(SIZE).dimensions(env).timestamp(finishedAt)
                        .unit(StandardUnit.BYTES).value((double) sizeBytes).build()));
    }
}
