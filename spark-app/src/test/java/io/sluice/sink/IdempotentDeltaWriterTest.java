package io.sluice.sink;

import io.sluice.table.TableSpec;
import io.sluice.testing.ExtensionContextResolver;
import io.sluice.testing.SharedSpark;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(ExtensionContextResolver.class)
final class IdempotentDeltaWriterTest
{
    private static final String REPARTITION_BEFORE_WRITE = "spark.databricks.delta.merge.repartitionBeforeWrite.enabled";
    private static final StructType SCHEMA = new StructType().add("id", DataTypes.StringType).add("day", DataTypes.StringType);

    /** A backfill of one day must not funnel that day's rows through one task: the MERGE writes from every task. */
    @Test
    void insertMissingWritesOnePartitionFromSeveralTasksAndLeavesTheSessionAsItWas(@TempDir Path directory, ExtensionContext context)
    {
        SparkSession spark = SharedSpark.session(context);
        TableSpec table = new TableSpec("events", directory.resolve("events").toString(), SCHEMA, List.of("day"), true);
        Dataset<Row> existing = ids(spark, 0, 10);
        existing.coalesce(1).write().format("delta").partitionBy("day").save(table.location());
        spark.conf().set(REPARTITION_BEFORE_WRITE, "true");
        try {
            // Ids 5-14 overlap the table's 0-9 by five; the rest are new, all in one partition, spread over four tasks.
            long inserted = new IdempotentDeltaWriter(spark).insertMissing(ids(spark, 5, 2000).repartition(4), table, List.of("id"), true);

            assertThat(inserted).isEqualTo(1995);
            List<String> expected = new ArrayList<>();
            IntStream.range(0, 2005).forEach(id -> expected.add("id-" + id));
            assertThat(spark.read().format("delta").load(table.location()).select("id").as(Encoders.STRING()).collectAsList())
                    .containsExactlyInAnyOrderElementsOf(expected);
            assertThat(spark.read().format("delta").load(table.location()).inputFiles())
                    .as("the existing file and more than one written by the MERGE")
                    .hasSizeGreaterThan(2);
            assertThat(spark.conf().get(REPARTITION_BEFORE_WRITE)).isEqualTo("true");
        }
        finally {
            spark.conf().unset(REPARTITION_BEFORE_WRITE);
        }
    }

    private static Dataset<Row> ids(SparkSession spark, long from, long count)
    {
        return spark.range(from, from + count).select(concat(lit("id-"), col("id").cast(DataTypes.StringType)).as("id"), lit("2026-11-20").as("day"));
    }
}
