package io.sluice.metrics;

import io.sluice.sink.BatchReport;
import io.sluice.sink.ShardRange;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

final class BatchMetricsTest
{
    @Test
    void oneDatumPerCountWithTheStreamDimension()
    {
        Instant started = Instant.parse("2026-11-21T10:00:00Z");
        BatchReport report = new BatchReport(7, 1000, Map.of("tennis_serves", 600L, "tennis_points", 300L), 60, 5, 40,
                List.of(new ShardRange("shardId-000000000000", "1", "9", 1000)), Optional.of(started.minusSeconds(2)), Optional.of(started),
                started, Duration.ofMillis(1500), false);
        List<MetricDatum> data = BatchMetrics.of(report, "sluice-events");
        Map<String, Double> values = data.stream().collect(Collectors.toMap(MetricDatum::metricName, MetricDatum::value));
        assertThat(values).containsExactlyInAnyOrderEntriesOf(Map.of(
                "RecordsRead", 1000.0, "SilverRows", 900.0, "DuplicateRecords", 60.0, "LateRecords", 5.0,
                "QuarantinedRecords", 40.0, "BatchDuration", 1500.0, "MillisBehindLatest", 3500.0));
        assertThat(data).allSatisfy(datum -> {
            assertThat(datum.dimensions()).singleElement().satisfies(dimension -> {
                assertThat(dimension.name()).isEqualTo("StreamName");
                assertThat(dimension.value()).isEqualTo("sluice-events");
            });
            assertThat(datum.timestamp()).isEqualTo(started.plusMillis(1500));
        });
        assertThat(data.stream().filter(datum -> datum.metricName().equals("BatchDuration")).findFirst().orElseThrow().unit())
                .isEqualTo(StandardUnit.MILLISECONDS);
    }
}
