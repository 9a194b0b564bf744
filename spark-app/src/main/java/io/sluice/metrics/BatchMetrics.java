package io.sluice.metrics;

import io.sluice.sink.BatchReport;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;

import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The CloudWatch metrics of one micro-batch. Names and the {@code StreamName} dimension are what the CDK app's
 * alarms and dashboard read (cdk MonitoringConstruct): change them together.
 */
public final class BatchMetrics
{
    public static final String STREAM_DIMENSION = "StreamName";
    public static final String RECORDS_READ = "RecordsRead";
    public static final String QUARANTINED_RECORDS = "QuarantinedRecords";

    private BatchMetrics() {}

    public static List<MetricDatum> of(BatchReport report, String streamName)
    {
        requireNonNull(report, "report is null");
        Dimension stream = Dimension.builder().name(STREAM_DIMENSION).value(requireNonNull(streamName, "streamName is null")).build();
        List<MetricDatum> data = new ArrayList<>();
        data.add(datum(RECORDS_READ, report.recordsRead(), StandardUnit.COUNT, report, stream));
        data.add(datum("SilverRows", report.silverRows(), StandardUnit.COUNT, report, stream));
        data.add(datum("DuplicateRecords", report.duplicates(), StandardUnit.COUNT, report, stream));
        data.add(datum("LateRecords", report.late(), StandardUnit.COUNT, report, stream));
        data.add(datum(QUARANTINED_RECORDS, report.quarantined(), StandardUnit.COUNT, report, stream));
        data.add(datum("BatchDuration", report.duration().toMillis(), StandardUnit.MILLISECONDS, report, stream));
        report.behind().ifPresent(behind -> data.add(datum("MillisBehindLatest", behind.toMillis(), StandardUnit.MILLISECONDS, report, stream)));
        return List.copyOf(data);
    }

    private static MetricDatum datum(String name, double value, StandardUnit unit, BatchReport report, Dimension stream)
    {
        return MetricDatum.builder()
                .metricName(name)
                .value(value)
                .unit(unit)
                .timestamp(report.startedAt().plus(report.duration()))
                .dimensions(stream)
                .build();
    }
}
