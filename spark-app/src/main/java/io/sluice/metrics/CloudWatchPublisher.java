package io.sluice.metrics;

import io.sluice.sink.BatchReport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricDataRequest;

import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * Publishes each micro-batch's {@link BatchMetrics} with PutMetricData. Metrics are best effort: a failed call is
 * logged and the batch, already committed, stands.
 */
public final class CloudWatchPublisher
        implements Consumer<BatchReport>, AutoCloseable
{
    private static final Logger log = LoggerFactory.getLogger(CloudWatchPublisher.class);

    private final CloudWatchClient client;
    private final String namespace;
    private final String streamName;

    public CloudWatchPublisher(String region, String namespace, String streamName)
    {
        this.namespace = requireNonNull(namespace, "namespace is null");
        this.streamName = requireNonNull(streamName, "streamName is null");
        this.client = CloudWatchClient.builder().region(Region.of(requireNonNull(region, "region is null"))).build();
    }

    @Override
    public void accept(BatchReport report)
    {
        try {
            client.putMetricData(PutMetricDataRequest.builder()
                    .namespace(namespace)
                    .metricData(BatchMetrics.of(report, streamName))
                    .build());
        }
        catch (RuntimeException e) {
            log.warn("Cannot publish metrics of batch {} to CloudWatch namespace {}: {}", report.batchId(), namespace, e.getMessage());
        }
    }

    @Override
    public void close()
    {
        client.close();
    }
}
