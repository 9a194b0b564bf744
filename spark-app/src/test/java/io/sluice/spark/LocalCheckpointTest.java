package io.sluice.spark;

import io.sluice.testing.ExtensionContextResolver;
import io.sluice.testing.SharedSpark;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count_if;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.rand;
import static org.apache.spark.sql.functions.repeat;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(ExtensionContextResolver.class)
final class LocalCheckpointTest
{
    /** Rows of every kind a routed batch holds (strings, nulls, structs, arrays, timestamps, binary), some over a chunk. */
    private static Dataset<Row> rows(SparkSession spark, long count)
    {
        Column id = col("id");
        return spark.range(0, count, 1, 3)
                .select(
                        id,
                        when(id.mod(7).equalTo(0), lit(null)).otherwise(repeat(lit("x"), id.mod(500).cast("int"))).as("text"),
                        // Every 1,000th row is larger than a chunk, so it gets one of its own.
                        when(id.mod(1000).equalTo(999), repeat(lit("big"), PackedRows.CHUNK_BYTES / 2)).as("large"),
                        struct(id.multiply(2).as("twice"), when(id.mod(3).equalTo(0), lit(null)).otherwise(id.cast("string")).as("name")).as("nested"),
                        array(id.cast("string"), lit("a")).as("tags"),
                        expr("timestamp_micros(id * 1000000)").as("at"),
                        expr("cast(cast(id as string) as binary)").as("bytes"));
    }

    @Test
    void keepsEveryRowAsThePlanMadeIt(ExtensionContext context)
    {
        SparkSession spark = SharedSpark.session(context);
        Dataset<Row> plan = rows(spark, 5_000);

        try (LocalCheckpoint kept = LocalCheckpoint.of(plan)) {
            assertThat(kept.partitions()).isEqualTo(3);
            assertThat(kept.rows().schema()).isEqualTo(plan.schema());
            assertThat(sorted(kept.rows().collectAsList())).isEqualTo(sorted(plan.collectAsList()));
            // A reader that keeps the rows it reads (a sort) sees each row, not the last one read over and over.
            assertThat(kept.rows().orderBy(col("id").desc()).select("id").collectAsList().stream().map(row -> row.getLong(0)).toList())
                    .isEqualTo(LongStream.range(0, 5_000).map(i -> 4_999 - i).boxed().toList());
        }
    }

    @Test
    void computesThePlanOnceWithItsAggregates(ExtensionContext context)
    {
        SparkSession spark = SharedSpark.session(context);
        // A random column differs each time the plan runs: equal reads prove the rows were kept, not recomputed.
        Dataset<Row> plan = spark.range(0, 20_000, 1, 2).select(col("id"), rand().as("random"));

        try (LocalCheckpoint kept = LocalCheckpoint.of(plan, List.of(count_if(col("id").mod(2).equalTo(0)).as("even"), max(col("id")).as("last")))) {
            List<Row> first = sorted(kept.rows().collectAsList());
            assertThat(first).hasSize(20_000);
            assertThat(sorted(kept.rows().collectAsList())).isEqualTo(first);
            assertThat(kept.rows().where(col("id").mod(2).equalTo(0)).count()).isEqualTo(10_000);
            assertThat(kept.aggregates().getLong(0)).isEqualTo(10_000);
            assertThat(kept.aggregates().getLong(1)).isEqualTo(19_999);
        }
    }

    @Test
    void foldsEachPartitionInTheSamePass(ExtensionContext context)
    {
        SparkSession spark = SharedSpark.session(context);
        Dataset<Row> plan = spark.range(0, 10_000, 1, 4).toDF();
        IdSum sum = new IdSum();
        IdSum unused = new IdSum();

        try (LocalCheckpoint kept = LocalCheckpoint.of(plan, List.of(), List.of(sum))) {
            List<long[]> partitions = kept.folded(sum);
            // One summary per partition, each of its rows once, and every row in some partition.
            assertThat(partitions).hasSize(4);
            assertThat(partitions).allSatisfy(partition -> assertThat(partition[0]).isEqualTo(2_500));
            assertThat(partitions.stream().mapToLong(partition -> partition[1]).sum()).isEqualTo(LongStream.range(0, 10_000).sum());
            // Reading the kept rows does not fold them again.
            assertThat(kept.rows().count()).isEqualTo(10_000);
            assertThat(kept.folded(sum)).hasSize(4);
            assertThatThrownBy(() -> kept.folded(unused)).isInstanceOf(IllegalArgumentException.class);
        }
        try (LocalCheckpoint kept = LocalCheckpoint.of(spark.range(0, 10, 1, 2).toDF().where(col("id").lt(0)), List.of(), List.of(sum))) {
            // Partitions without rows still summarize (nothing).
            assertThat(kept.folded(sum)).containsExactly(new long[] {0, 0}, new long[] {0, 0});
        }
    }

    /** Per partition: how many rows, and the sum of their ids. */
    private static final class IdSum
            implements RowFold<long[]>
    {
        @Override
        public Partition<long[]> start()
        {
            long[] sum = new long[2];
            return new Partition<>()
            {
                @Override
                public void add(org.apache.spark.sql.catalyst.InternalRow row)
                {
                    sum[0]++;
                    sum[1] += row.getLong(0);
                }

                @Override
                public long[] result()
                {
                    return sum;
                }
            };
        }
    }

    @Test
    void keepsAnEmptyPlan(ExtensionContext context)
    {
        SparkSession spark = SharedSpark.session(context);
        try (LocalCheckpoint kept = LocalCheckpoint.of(rows(spark, 0), List.of(max(col("id"))))) {
            assertThat(kept.rows().count()).isZero();
            assertThat(kept.aggregates().isNullAt(0)).isTrue();
        }
    }

    @Test
    void closeFreesTheBlocks(ExtensionContext context)
    {
        SparkSession spark = SharedSpark.session(context);
        java.util.Set<Object> before = persistentRddIds(spark);
        LocalCheckpoint kept = LocalCheckpoint.of(rows(spark, 100));
        // Compared by id, not by count, so that blocks other work of the session persists meanwhile do not matter.
        java.util.Set<Object> added = new java.util.HashSet<>(persistentRddIds(spark));
        added.removeAll(before);
        assertThat(added).isNotEmpty();
        kept.close();
        assertThat(persistentRddIds(spark)).doesNotContainAnyElementsOf(added);
    }

    private static java.util.Set<Object> persistentRddIds(SparkSession spark)
    {
        return new java.util.HashSet<>(scala.jdk.javaapi.CollectionConverters.asJava(spark.sparkContext().getPersistentRDDs()).keySet());
    }

    private static List<Row> sorted(List<Row> rows)
    {
        return rows.stream().sorted(java.util.Comparator.comparingLong(row -> row.getLong(0))).collect(Collectors.toList());
    }
}
