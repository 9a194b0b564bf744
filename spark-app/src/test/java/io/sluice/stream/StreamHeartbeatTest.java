package io.sluice.stream;

import io.sluice.testing.ExtensionContextResolver;
import io.sluice.testing.SharedSpark;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An idle stream commits no batch (micro-batches without data are off), so its heartbeat is what tells a batch job
 * that it still runs: a query over an empty directory must rewrite the file, and the listener must leave with it.
 */
@ExtendWith(ExtensionContextResolver.class)
final class StreamHeartbeatTest
{
    private static final String IDLE_EVENT_INTERVAL = "spark.sql.streaming.noDataProgressEventInterval";

    @Test
    void anIdleQueryRewritesItsHeartbeatUntilItStops(ExtensionContext context, @TempDir Path work)
            throws Exception
    {
        SparkSession spark = SharedSpark.session(context);
        Path input = Files.createDirectories(work.resolve("input"));
        Path heartbeat = work.resolve("heartbeat");
        spark.conf().set(IDLE_EVENT_INTERVAL, "100");
        StreamingQuery query;
        try {
            query = spark.readStream().schema(new StructType().add("value", DataTypes.StringType)).json(input.toString())
                    .writeStream()
                    .format("noop")
                    .option("checkpointLocation", work.resolve("checkpoint").toString())
                    .trigger(Trigger.ProcessingTime(100))
                    .start();
        }
        finally {
            spark.conf().unset(IDLE_EVENT_INTERVAL);
        }
        StreamHeartbeat listener = new StreamHeartbeat(spark.streams(), query.id(), heartbeat.toString(),
                spark.sparkContext().hadoopConfiguration(), Clock.systemUTC(), Duration.ZERO);
        spark.streams().addListener(listener);
        try {
            await().atMost(Duration.ofMinutes(1)).until(() -> Files.exists(heartbeat));
            long first = Files.getLastModifiedTime(heartbeat).toMillis();
            await().atMost(Duration.ofMinutes(1)).until(() -> Files.getLastModifiedTime(heartbeat).toMillis() > first);
            assertThat(query.recentProgress()).as("no batch ran: the query only idled").allMatch(progress -> progress.numInputRows() == 0);
        }
        finally {
            query.stop();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> Arrays.stream(spark.streams().listListeners()).noneMatch(listener::equals));
    }
}
