package io.sluice.benchmark;

import io.sluice.produce.FeedOptions;
import io.sluice.produce.ProducedRecord;
import io.sluice.produce.RecordKind;
import io.sluice.produce.TennisFeed;
import org.apache.spark.sql.SparkSession;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Generated raw records written once as Parquet files of {@code batchSize} records each, which every contender
 * streams with {@code maxFilesPerTrigger=1}: one file per micro-batch. Keeps the ids of the events the generator
 * meant to land in silver, so a run can be checked by comparing whole id sets.
 *
 * @param validIds the event ids of every record whose fate is silver (each once, whatever its re-sends)
 */
record PipelineInput(String path, int batchSize, int batches, long payloadBytes, Set<String> validIds)
{
    PipelineInput
    {
        requireNonNull(path, "path is null");
        validIds = Set.copyOf(requireNonNull(validIds, "validIds is null"));
    }

    long records()
    {
        return (long) batchSize * batches;
    }

    /**
     * The fault mix of the pipeline benchmark since it exists: 5% re-sends, 5% out of order, 3% invalid (a sixth of
     * them 20 KB oversized); no late events, which take the MERGE path and are measured apart.
     */
    static PipelineInput faultMix(SparkSession spark, long seed, int batchSize, int batches, String path)
    {
        FeedOptions options = new FeedOptions(seed, 16, Instant.parse("2026-11-21T10:00:00Z"), 1000, 0.05, 0.05, 0, Duration.ZERO, 0.03, 20_000);
        return write(spark, new TennisFeed(options), batchSize, batches, path);
    }

    /** Valid events only, for the tiny batches that price a batch's fixed cost. */
    static PipelineInput clean(SparkSession spark, long seed, int batchSize, int batches, String path)
    {
        return write(spark, new TennisFeed(FeedOptions.clean(seed, Instant.parse("2026-11-22T10:00:00Z"))), batchSize, batches, path);
    }

    private static PipelineInput write(SparkSession spark, TennisFeed feed, int batchSize, int batches, String path)
    {
        Set<String> valid = new HashSet<>();
        Iterator<ProducedRecord> recording = new Iterator<>()
        {
            @Override
            public boolean hasNext()
            {
                return true;
            }

            @Override
            public ProducedRecord next()
            {
                ProducedRecord record = feed.next();
                if (record.kind().fate() == RecordKind.Fate.SILVER) {
                    valid.add(record.eventId().orElseThrow(() -> new IllegalStateException("Cannot benchmark: a valid record without an id")));
                }
                return record;
            }
        };
        long bytes = RawRecords.write(spark, recording, (long) batchSize * batches, batches, 4, path);
        return new PipelineInput(path, batchSize, batches, bytes, valid);
    }
}
