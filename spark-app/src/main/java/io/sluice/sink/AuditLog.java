package io.sluice.sink;

import io.sluice.table.AuditColumns;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.ZoneOffset;
import java.util.List;

import static java.util.Objects.requireNonNull;

/** The audit table: one row per micro-batch with its per-shard offset ranges and its accounting. */
public final class AuditLog
{

    private AuditLog() {}

    public static Dataset<Row> rows(SparkSession spark, String queryId, BatchReport report)
    {
        requireNonNull(report, "report is null");
        List<Row> ranges = report.shardRanges().stream()
                .map(range -> RowFactory.create(range.shardId(), range.firstSequenceNumber(), range.lastSequenceNumber(), range.records()))
                .toList();
        Row row = RowFactory.create(
                queryId,
                report.batchId(),
                Timestamp.from(report.startedAt()),
                report.duration().toMillis(),
                report.recordsRead(),
                report.silverRows(),
                scala.jdk.javaapi.CollectionConverters.asScala(report.silverRowsByTable()),
                report.duplicates(),
                report.late(),
                report.quarantined(),
                scala.jdk.javaapi.CollectionConverters.asScala(ranges).toSeq(),
                report.maxArrivalTime().map(Timestamp::from).orElse(null),
                report.maxEventTime().map(Timestamp::from).orElse(null),
                Date.valueOf(report.startedAt().atOffset(ZoneOffset.UTC).toLocalDate()));
        return spark.createDataFrame(List.of(row), AuditColumns.SCHEMA);
    }
}
