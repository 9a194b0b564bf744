package io.sluice.sink;

import io.delta.tables.DeltaTable;
import io.sluice.testing.ExtensionContextResolver;
import io.sluice.testing.SharedSpark;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.udf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two insert-only MERGEs into one partition, the second committing while the first is between reading the table and
 * committing: Delta rejects the first, and {@link ConcurrentCommits} runs it again, which then finds the other's row.
 */
@ExtendWith(ExtensionContextResolver.class)
final class ConcurrentCommitsTest
{
    private static final StructType SCHEMA = new StructType().add("id", DataTypes.StringType).add("day", DataTypes.StringType);
    // Executor threads of the local test session run the UDF in this JVM: the latches are how the test steers them.
    private static final CountDownLatch FIRST_MERGE_IS_READING = new CountDownLatch(1);
    private static final CountDownLatch SECOND_MERGE_COMMITTED = new CountDownLatch(1);
    private static final AtomicBoolean HOLD_ONCE = new AtomicBoolean(true);

    @Test
    void aMergeThatLostACommitRaceIsRunAgainAndFindsTheWinnersRows(@TempDir Path directory, ExtensionContext context)
            throws Exception
    {
        SparkSession spark = SharedSpark.session(context);
        String location = directory.resolve("table").toString();
        rows(spark, "existing").write().format("delta").partitionBy("day").save(location);

        Dataset<Row> held = rows(spark, "a", "b", "c")
                .withColumn("id", udf((UDF1<String, String>) id -> {
                    if (HOLD_ONCE.compareAndSet(true, false)) {
                        FIRST_MERGE_IS_READING.countDown();
                        SECOND_MERGE_COMMITTED.await(1, TimeUnit.MINUTES);
                    }
                    return id;
                }, DataTypes.StringType).apply(col("id")));
        AtomicInteger attempts = new AtomicInteger();
        CompletableFuture<Long> first = CompletableFuture.supplyAsync(() -> new ConcurrentCommits(3, Duration.ofMillis(10)).run("test MERGE", () -> {
            attempts.incrementAndGet();
            return insertMissing(spark, location, held);
        }));
        assertThat(FIRST_MERGE_IS_READING.await(2, TimeUnit.MINUTES)).isTrue();
        long second = insertMissing(spark, location, rows(spark, "b"));
        SECOND_MERGE_COMMITTED.countDown();

        assertThat(second).isEqualTo(1);
        assertThat(first.get(2, TimeUnit.MINUTES)).as("rows the first MERGE inserted on its second attempt").isEqualTo(2);
        assertThat(attempts.get()).as("the first attempt lost the race").isEqualTo(2);
        List<String> ids = spark.read().format("delta").load(location).select("id").as(Encoders.STRING()).collectAsList();
        assertThat(ids).containsExactlyInAnyOrder("existing", "a", "b", "c");
    }

    private static long insertMissing(SparkSession spark, String location, Dataset<Row> source)
    {
        Row metrics = DeltaTable.forPath(spark, location).as("t")
                .merge(source.as("s"), "t.day = s.day AND t.day = 'd1' AND t.id = s.id")
                .whenNotMatched().insertAll()
                .execute()
                .first();
        return ((Number) metrics.getAs("num_inserted_rows")).longValue();
    }

    private static Dataset<Row> rows(SparkSession spark, String... ids)
    {
        return spark.createDataFrame(java.util.Arrays.stream(ids).map(id -> RowFactory.create(id, "d1")).toList(), SCHEMA);
    }
}
