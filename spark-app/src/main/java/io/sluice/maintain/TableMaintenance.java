package io.sluice.maintain;

import io.delta.tables.DeltaTable;
import io.sluice.sink.ConcurrentCommits;
import io.sluice.sink.DeltaLogGateway;
import io.sluice.table.TableSpec;
import io.sluice.lake.Lake;
import io.sluice.lake.StreamWriterCheck;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

/**
 * Keeps the lake's tables fast and small, safe to run while the stream writes them:
 * <ul>
 *     <li>compaction (OPTIMIZE) of the recent date partitions, where each micro-batch left small files. It only
 *     rewrites files (dataChange=false): the stream's blind appends never conflict with it, and a MERGE that does
 *     (late events, backfill, replay) retries;</li>
 *     <li>VACUUM of files the tables stopped referencing more than the retention ago (never under 7 days);</li>
 *     <li>log housekeeping: a checkpoint of the current version, after which Delta deletes log files older than
 *     {@code delta.logRetentionDuration} (30 days);</li>
 *     <li>when asked ({@code maintain.raw-retention-days}), retention of bronze and quarantine, which keep payloads as
 *     received: rows ingested before the cutoff are deleted (whole ingest-date partitions), and VACUUM removes their
 *     files once they are older than the file retention.</li>
 * </ul>
 */
public final class TableMaintenance
{
    private static final String DELTA_LOG = "_delta_log";

    private final SparkSession spark;
    private final Lake lake;
    private final Consumer<String> progress;
    private final Clock clock;
    private final ConcurrentCommits retry = ConcurrentCommits.defaults();

    public TableMaintenance(SparkSession spark, Lake lake, Consumer<String> progress, Clock clock)
    {
        this.spark = requireNonNull(spark, "spark is null");
        this.lake = requireNonNull(lake, "lake is null");
        this.progress = requireNonNull(progress, "progress is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    public List<MaintenanceReport> run(MaintenanceRequest request)
    {
        requireNonNull(request, "request is null");
        if (!request.dryRun()) {
            StreamWriterCheck.checkBatchJobMayWrite(spark, lake, "maintain", clock);
        }
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        if (request.rawRetentionDays() > 0) {
            // Before VACUUM: the files the DELETE drops become unreferenced now and are deleted by the first run after
            // the tables' file retention (7 days).
            for (TableSpec table : List.of(lake.tables().bronze(), lake.tables().quarantine())) {
                if (DeltaTable.isDeltaTable(spark, table.location())) {
                    long deleted = applyRetention(table, today.minusDays(request.rawRetentionDays()), request.dryRun());
                    progress.accept("%s%s: %,d rows ingested before %s (raw retention %d days)".formatted(
                            request.dryRun() ? "maintain (dry run): would delete from " : "maintain: deleted from ",
                            table.name(), deleted, today.minusDays(request.rawRetentionDays()), request.rawRetentionDays()));
                }
            }
        }
        LocalDate cutoff = today.minusDays(request.recentDays() - 1L);
        List<MaintenanceReport> reports = new ArrayList<>();
        for (TableSpec table : lake.tables().all()) {
            if (!DeltaTable.isDeltaTable(spark, table.location())) {
                continue;
            }
            MaintenanceReport report = maintain(table, cutoff, request);
            progress.accept((request.dryRun() ? "maintain (dry run): " : "maintain: ") + report.summaryLine());
            reports.add(report);
        }
        return reports;
    }

    private MaintenanceReport maintain(TableSpec table, LocalDate cutoff, MaintenanceRequest request)
    {
        // Every Sluice table is partitioned by a date first (event, ingest or audit date): recent means that date.
        String dateColumn = table.partitionColumns().get(0);
        String recent = "`%s` >= DATE'%s'".formatted(dateColumn, cutoff);
        Files before = recentFiles(table, dateColumn, cutoff);
        if (!request.dryRun() && before.count() > 0) {
            retry.run("OPTIMIZE " + table.name(), () -> DeltaTable.forPath(spark, table.location()).optimize().where(recent).executeCompaction().count());
        }
        Files after = request.dryRun() ? before : recentFiles(table, dateColumn, cutoff);

        long retentionHours = request.retention().toHours();
        long vacuumable = spark.sql("VACUUM delta.`%s` RETAIN %d HOURS DRY RUN".formatted(table.location(), retentionHours)).count();
        long logFilesBefore = logFiles(table);
        if (!request.dryRun()) {
            if (vacuumable > 0) {
                DeltaTable.forPath(spark, table.location()).vacuum(retentionHours);
            }
            new DeltaLogGateway(spark).checkpointAndCleanUp(table.location());
        }
        return new MaintenanceReport(table.name(), before.count(), after.count(), after.bytes(), vacuumable, logFilesBefore, logFiles(table));
    }

    /**
     * Deletes the rows of a raw table (bronze, quarantine: payloads as received, possibly personal data) whose ingest
     * date is before {@code before}. Both are partitioned by ingest date first, so this drops whole partitions.
     *
     * @return the rows deleted (would be, in a dry run)
     */
    private long applyRetention(TableSpec table, LocalDate before, boolean dryRun)
    {
        String expired = "`%s` < DATE'%s'".formatted(table.partitionColumns().get(0), before);
        long rows = spark.read().format("delta").load(table.location()).where(expired).count();
        if (!dryRun && rows > 0) {
            retry.run("DELETE expired rows of " + table.name(), () -> {
                DeltaTable.forPath(spark, table.location()).delete(expired);
                return rows;
            });
        }
        return rows;
    }

    /** Data files of the partitions on or after the cutoff, from the table's current snapshot. */
    private Files recentFiles(TableSpec table, String dateColumn, LocalDate cutoff)
    {
        Row row = new DeltaLogGateway(spark).dataFiles(table.location())
                .filter(col("partitionValues").getItem(dateColumn).geq(lit(cutoff.toString())))
                .agg(count(lit(1)), sum(col("size")))
                .first();
        return new Files(row.getLong(0), row.isNullAt(1) ? 0 : row.getLong(1));
    }

    private long logFiles(TableSpec table)
    {
        Path log = new Path(table.location(), DELTA_LOG);
        try {
            FileSystem fileSystem = log.getFileSystem(spark.sparkContext().hadoopConfiguration());
            return fileSystem.listStatus(log).length;
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot list the Delta log of " + table.name() + " at " + log, e);
        }
    }

    private record Files(long count, long bytes) {}
}
