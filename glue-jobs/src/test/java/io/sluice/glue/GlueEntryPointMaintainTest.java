package io.sluice.glue;

import io.sluice.config.SluiceConfig;
import io.sluice.table.RawRecordColumns;
import io.sluice.produce.FeedOptions;
import io.sluice.produce.ProducedRecord;
import io.sluice.produce.TennisFeed;
import io.sluice.sink.BatchReport;
import io.sluice.table.TableSpec;
import io.sluice.stream.BatchActivity;
import io.sluice.stream.GracefulStop;
import io.sluice.lake.Lake;
import io.sluice.stream.StreamingJob;
import io.sluice.testing.ExtensionContextResolver;
import io.sluice.testing.SharedSpark;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Glue maintain run end to end, minus Glue: the entry point gets the arguments the CDK's job passes (plus Glue's
 * own), translates them, and runs {@code sluice maintain} in this JVM on a small local lake that the streaming
 * pipeline fragmented (one micro-batch per input file).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(ExtensionContextResolver.class)
final class GlueEntryPointMaintainTest
{
    private static final int FILES = 3;
    private static final int RECORDS_PER_FILE = 200;

    private SparkSession spark;

    @BeforeAll
    void start(ExtensionContext context)
    {
        spark = SharedSpark.session(context);
    }

    @Test
    void maintainThroughTheGlueEntryPointCompactsTheLakeAndChangesNoRow(@TempDir Path temp)
            throws Exception
    {
        Path lake = temp.resolve("lake");
        Lake sluiceLake = Lake.of(SluiceConfig.defaults().with(Map.of(
                "lake.root", lake.toString(),
                "lake.checkpoint-root", lake.resolve("checkpoints").toString(),
                "stream.trigger-interval", "100ms",
                "spark.shuffle-partitions", "2")));
        fragment(sluiceLake, temp.resolve("raw"));
        Map<String, Integer> filesBefore = new TreeMap<>();
        Map<String, List<Row>> rowsBefore = new TreeMap<>();
        List<String> fragmented = new ArrayList<>();
        for (TableSpec table : sluiceLake.tables().silver().values()) {
            filesBefore.put(table.name(), files(table));
            rowsBefore.put(table.name(), rows(table));
            if (files(table) > partitions(table)) {
                fragmented.add(table.name());
            }
        }
        assertThat(fragmented).as("tables the streaming run left with more files than partitions").isNotEmpty();

        GlueEntryPoint.main(new String[] {
                "--JOB_ID", "j_test", "--JOB_RUN_ID", "jr_test", "--JOB_NAME", "sluice-test-maintain",
                "--job-bookmark-option", "job-bookmark-disable", "--TempDir", temp.resolve("glue-temp").toString(),
                "--datalake-formats", "delta",
                "--command", "maintain", "--lake", lake.toString(), "--database", "sluice_test", "--environment", "test",
                // The test's session is already running; on Glue, Glue's spark-submit sets the master.
                "--spark.master", "local[2]"});

        for (TableSpec table : sluiceLake.tables().silver().values()) {
            assertThat(rows(table)).as("rows of %s", table.name()).isEqualTo(rowsBefore.get(table.name()));
            // OPTIMIZE bins a partition's small files into one (its target size is far above this test's data).
            assertThat((long) files(table)).as("files of %s (%d before)", table.name(), filesBefore.get(table.name()))
                    .isEqualTo(partitions(table));
        }
    }

    /** Streams generated events into the lake one small file per micro-batch, so every partition gets several files. */
    private void fragment(Lake lake, Path raw)
            throws Exception
    {
        TennisFeed feed = new TennisFeed(FeedOptions.clean(11, Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(1))));
        long sequence = 49_000_000_000_000_000L;
        for (int file = 0; file < FILES; file++) {
            List<Row> rows = new ArrayList<>();
            for (ProducedRecord record : feed.take(RECORDS_PER_FILE)) {
                rows.add(RowFactory.create(record.payload(), "archive", record.partitionKey(), Long.toString(sequence++),
                        new Timestamp(System.currentTimeMillis()), "shardId-000000000000"));
            }
            spark.createDataFrame(rows, RawRecordColumns.SCHEMA).coalesce(1).write().mode(SaveMode.Append).parquet(raw.toString());
        }
        List<BatchReport> reports = new CopyOnWriteArrayList<>();
        BatchActivity activity = new BatchActivity();
        StreamingQuery query = new StreamingJob(spark, lake).start(
                spark.readStream().schema(RawRecordColumns.SCHEMA).option("maxFilesPerTrigger", 1).parquet(raw.toString()),
                reports::add, activity);
        try {
            await().atMost(Duration.ofMinutes(3))
                    .until(() -> reports.stream().mapToLong(BatchReport::recordsRead).sum() >= (long) FILES * RECORDS_PER_FILE);
        }
        finally {
            GracefulStop.stopBetweenBatches(query, activity);
        }
        assertThat(query.exception().isEmpty()).isTrue();
    }

    private int files(TableSpec table)
    {
        return spark.read().format("delta").load(table.location()).inputFiles().length;
    }

    private long partitions(TableSpec table)
    {
        return spark.read().format("delta").load(table.location())
                .select(table.partitionColumns().stream().map(functions::col).toArray(Column[]::new))
                .distinct().count();
    }

    private List<Row> rows(TableSpec table)
    {
        return spark.read().format("delta").load(table.location()).orderBy("event_id").collectAsList();
    }
}
