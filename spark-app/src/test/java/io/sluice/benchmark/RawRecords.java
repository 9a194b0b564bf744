package io.sluice.benchmark;

import io.sluice.table.RawRecordColumns;
import io.sluice.produce.ProducedRecord;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;

/** Writes generated records as raw Kinesis-shaped rows (Parquet files), the input of the pipeline benchmarks. */
final class RawRecords
{
    private RawRecords() {}

    private static final int SHARD_ID_INDEX = RawRecordColumns.SCHEMA.fieldIndex(RawRecordColumns.SHARD_ID);

    static final long FIRST_SEQUENCE_NUMBER = 49_000_000_000_000_000L;

    /** @return bytes of payload written */
    static long write(SparkSession spark, Iterator<ProducedRecord> feed, long count, int files, int shards, String path)
    {
        return write(spark, feed, count, files, shards, path, FIRST_SEQUENCE_NUMBER);
    }

    /**
     * @param firstSequence the first record's sequence number: a later call continues where an earlier one ended
     * @return bytes of payload written
     */
    static long write(SparkSession spark, Iterator<ProducedRecord> feed, long count, int files, int shards, String path, long firstSequence)
    {
        long payloadBytes = 0;
        long perFile = (count + files - 1) / files;
        long sequence = firstSequence;
        long written = 0;
        Timestamp arrival = new Timestamp(System.currentTimeMillis());
        for (int file = 0; file < files && written < count; file++) {
            List<Row> rows = new ArrayList<>();
            long fileBytes = 0;
            for (long i = 0; i < perFile && written < count; i++, written++) {
                ProducedRecord record = feed.next();
                fileBytes += record.payload().length;
                int shard = Math.floorMod(record.partitionKey().hashCode(), shards);
                rows.add(RowFactory.create(record.payload(), "benchmark", record.partitionKey(), Long.toString(sequence++), arrival,
                        "shardId-%012d".formatted(shard)));
            }
            payloadBytes += fileBytes;
            // Row groups of about half a shard, in shard order (a stable sort keeps each shard's sequence order): Spark
            // splits a file's reading by row groups, so a batch is read in about as many tasks as a Kinesis source reads it
            // in (one per shard), not in one task whatever the cores. Parquet measures a row group by its compressed pages,
            // and these payloads compress about threefold.
            rows.sort(Comparator.comparing(row -> row.getString(SHARD_ID_INDEX)));
            spark.createDataFrame(rows, RawRecordColumns.SCHEMA).coalesce(1).write()
                    .option("parquet.block.size", Math.max(1L << 18, fileBytes / shards / 6))
                    .mode(SaveMode.Append)
                    .parquet(path);
        }
        return payloadBytes;
    }
}
