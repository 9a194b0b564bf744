package io.sluice.benchmark;

import io.delta.tables.DeltaTable;
import io.sluice.backfill.TimeRange;
import io.sluice.contract.ContractRegistry;
import io.sluice.source.JsonLinesArchive;
import io.sluice.table.SilverColumns;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.col;

/**
 * The backfill a data engineer would write by hand for the same silver tables: read the archive, parse the envelope,
 * keep the range, then per table parse {@code data} ({@link HandWrittenSilver}), drop re-sent ids and MERGE into silver
 * on the id (within its date partition), inserting what is not there yet, so that a re-run inserts nothing. One MERGE
 * per table for the whole range; no validation, quarantine, bronze or audit.
 */
final class HandWrittenMerge
{
    private final SparkSession spark;
    private final HandWrittenSilver silver;

    HandWrittenMerge(SparkSession spark, ContractRegistry contracts)
    {
        this.spark = requireNonNull(spark, "spark is null");
        this.silver = new HandWrittenSilver(contracts);
    }

    /** @return the rows each table's MERGE inserted */
    Map<String, Long> run(String archive, TimeRange range, Path lake)
    {
        requireNonNull(archive, "archive is null");
        requireNonNull(range, "range is null");
        Dataset<Row> events = HandWrittenSilver.events(JsonLinesArchive.read(spark, archive))
                .filter(range.contains(col("e.time")))
                .persist();
        try {
            Map<String, Long> inserted = new LinkedHashMap<>();
            for (String name : silver.tables()) {
                String path = lake.resolve(name).toString();
                Dataset<Row> rows = silver.silverRows(events, name).dropDuplicates(SilverColumns.EVENT_ID);
                if (!DeltaTable.isDeltaTable(spark, path)) {
                    rows.limit(0).write().format("delta").partitionBy(SilverColumns.PARTITION_COLUMNS.toArray(String[]::new)).save(path);
                }
                DeltaTable table = DeltaTable.forPath(spark, path);
                long before = latestVersion(table);
                table.as("t")
                        .merge(rows.as("s"), "t.%1$s = s.%1$s AND t.%2$s = s.%2$s".formatted(SilverColumns.EVENT_DATE, SilverColumns.EVENT_ID))
                        .whenNotMatched().insertAll()
                        .execute();
                // A MERGE that changes nothing commits nothing: then the latest commit is an earlier one.
                Row latest = table.history(1).select(col("version"), col("operationMetrics").getItem("numTargetRowsInserted")).first();
                inserted.put(name, latest.getLong(0) == before ? 0 : Long.parseLong(latest.getString(1)));
            }
            return inserted;
        }
        finally {
            events.unpersist();
        }
    }

    private static long latestVersion(DeltaTable table)
    {
        return table.history(1).select("version").first().getLong(0);
    }
}
