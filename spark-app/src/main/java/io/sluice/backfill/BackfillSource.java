package io.sluice.backfill;

import io.sluice.config.UsageException;
import io.sluice.source.JsonLinesArchive;
import io.sluice.table.BronzeRecords;
import io.sluice.table.RawRecordColumns;
import io.sluice.table.SluiceTables;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

/** Where a backfill reads raw records: the lake's own raw (bronze) table, or an archive of JSON-lines files. */
public sealed interface BackfillSource
        permits BackfillSource.RawTable, BackfillSource.JsonLines
{
    String RAW_TABLE = "raw-table";

    /**
     * The raw records, in {@link RawRecordColumns#SCHEMA}.
     *
     * @param completedBatchesUpTo when a stream writes the lake, the start of its last complete micro-batch: raw rows of
     *         a batch still being written are left to that batch
     */
    Dataset<Row> read(SparkSession spark, SluiceTables tables, Optional<Instant> completedBatchesUpTo);

    /** {@code raw-table}, or a path or URI prefix of JSON-lines files. */
    static BackfillSource parse(String text)
    {
        requireNonNull(text, "text is null");
        if (text.isBlank()) {
            throw new UsageException("Invalid --source: empty; use raw-table or a path or s3:// prefix of JSON-lines files");
        }
        return text.equals(RAW_TABLE) ? new RawTable() : new JsonLines(text);
    }

    record RawTable()
            implements BackfillSource
    {
        @Override
        public Dataset<Row> read(SparkSession spark, SluiceTables tables, Optional<Instant> completedBatchesUpTo)
        {
            Dataset<Row> bronze = spark.read().format("delta").load(tables.bronze().location());
            if (completedBatchesUpTo.isPresent()) {
                bronze = bronze.filter(col(BronzeRecords.INGEST_TIME).leq(lit(Timestamp.from(completedBatchesUpTo.get()))));
            }
            return BronzeRecords.toRaw(bronze);
        }

        @Override
        public String toString()
        {
            return RAW_TABLE;
        }
    }

    record JsonLines(String location)
            implements BackfillSource
    {
        public JsonLines
        {
            requireNonNull(location, "location is null");
        }

        @Override
        public Dataset<Row> read(SparkSession spark, SluiceTables tables, Optional<Instant> completedBatchesUpTo)
        {
            return JsonLinesArchive.read(spark, location);
        }

        @Override
        public String toString()
        {
            return location;
        }
    }
}
