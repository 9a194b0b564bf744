package io.sluice.stream;

import io.sluice.lake.Lake;
import io.sluice.produce.FeedOptions;
import io.sluice.produce.ProducedRecord;
import io.sluice.produce.TennisFeed;
import io.sluice.sink.BatchReport;
import io.sluice.sink.ShardRange;
import io.sluice.table.RawRecordColumns;
import io.sluice.testing.ExtensionContextResolver;
import io.sluice.testing.SharedSpark;
import io.sluice.testing.StreamHarness;
import io.sluice.testing.TestLakes;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The audit's offset range per shard spans a micro-batch's records in the numeric order of their sequence numbers,
 * which are decimal strings of varying length: "100" comes after "9", though it sorts before it as a string. A KPL user
 * record's is its aggregate's and ":index", each part in numeric order: "499:12" comes before "500:9".
 */
@ExtendWith(ExtensionContextResolver.class)
final class BatchShardRangesTest
{
    @Test
    void shardRangesFollowTheNumericOrderOfSequenceNumbers(@TempDir Path work, ExtensionContext context)
            throws Exception
    {
        SparkSession spark = SharedSpark.session(context);
        Lake lake = TestLakes.lake(work.resolve("lake"), Map.of("stream.trigger-interval", "200ms"));
        List<ProducedRecord> events = new TennisFeed(new FeedOptions(5, 1, Instant.parse("2026-11-21T10:00:00Z"), 200,
                0, 0, 0, Duration.ZERO, 0, 70_000)).take(10);
        Timestamp arrival = Timestamp.from(Instant.parse("2026-11-21T10:00:05Z"));
        List<String> sequenceNumbers = List.of("9", "100", "10", "11", "7", "500:9", "500:10", "499:12", "1000:0", "1000");
        List<String> shards = List.of("shardId-a", "shardId-a", "shardId-a", "shardId-a", "shardId-b",
                "shardId-c", "shardId-c", "shardId-c", "shardId-c", "shardId-d");
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            rows.add(RowFactory.create(events.get(i).payload(), "ranges-test", events.get(i).partitionKey(), sequenceNumbers.get(i), arrival, shards.get(i)));
        }
        String input = work.resolve("input").toString();
        spark.createDataFrame(rows, RawRecordColumns.SCHEMA).coalesce(1).write().parquet(input);

        List<BatchReport> reports = new CopyOnWriteArrayList<>();
        BatchActivity activity = new BatchActivity();
        StreamingQuery query = new StreamingJob(spark, lake)
                .start(spark.readStream().schema(RawRecordColumns.SCHEMA).parquet(input), reports::add, activity);
        StreamHarness.ingestThenStop(query, activity, reports, events.size(), Duration.ofMinutes(2));

        assertThat(reports).hasSize(1);
        assertThat(reports.get(0).shardRanges()).containsExactlyInAnyOrder(
                new ShardRange("shardId-a", "9", "100", 4),
                new ShardRange("shardId-b", "7", "7", 1),
                new ShardRange("shardId-c", "499:12", "1000:0", 4),
                new ShardRange("shardId-d", "1000", "1000", 1));
    }
}
