package io.sluice.pipeline;

import io.sluice.testing.ExtensionContextResolver;
import io.sluice.testing.SharedSpark;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.Comparator;
import java.util.List;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.repeat;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;
import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(ExtensionContextResolver.class)
final class StructBytesTest
{
    @Test
    void structsRoundTripThroughTheirBytes(ExtensionContext context)
    {
        SparkSession spark = SharedSpark.session(context);
        Column id = col("id");
        Dataset<Row> rows = spark.range(0, 2_000, 1, 2).select(
                id,
                when(id.mod(10).equalTo(0), lit(null)).otherwise(struct(
                        when(id.mod(3).equalTo(0), lit(null)).otherwise(repeat(lit("é"), id.mod(50).cast("int"))).as("text"),
                        struct(id.multiply(2).as("twice"), id.cast("string").as("name")).as("nested"),
                        array(id.cast("string"), lit(null).cast(DataTypes.StringType)).as("tags"),
                        expr("timestamp_micros(id * 1000)").as("at"),
                        expr("cast(cast(id as string) as binary)").as("bytes"))).as("record"));
        StructType schema = (StructType) rows.schema().apply("record").dataType();

        Dataset<Row> packed = rows.withColumn("record", StructBytes.pack(col("record"), schema));
        assertThat(packed.schema().apply("record").dataType()).isEqualTo(DataTypes.BinaryType);
        // Through a shuffle, as the bytes cross the dedup operator; read back with the schema they were packed with.
        Dataset<Row> unpacked = packed.repartition(3).withColumn("record", StructBytes.unpack(col("record"), schema));

        assertThat(unpacked.schema()).isEqualTo(rows.schema());
        assertThat(sorted(unpacked.collectAsList())).isEqualTo(sorted(rows.collectAsList()));
        // A consumer reading single fields sees the same values as one reading the struct whole.
        assertThat(sorted(unpacked.select(col("id"), col("record.nested.name"), col("record.tags")).collectAsList()))
                .isEqualTo(sorted(rows.select(col("id"), col("record.nested.name"), col("record.tags")).collectAsList()));
    }

    @Test
    void interpretedAndGeneratedCodeAgree(ExtensionContext context)
    {
        SparkSession spark = SharedSpark.session(context);
        Dataset<Row> rows = spark.range(0, 200, 1, 2).select(col("id"),
                when(col("id").mod(7).equalTo(0), lit(null)).otherwise(struct(col("id").cast("string").as("text"), array(col("id")).as("ids"))).as("record"));
        StructType schema = (StructType) rows.schema().apply("record").dataType();
        List<Row> expected = sorted(rows.collectAsList());
        List<Row> generated = sorted(rows.withColumn("record", StructBytes.pack(col("record"), schema))
                .withColumn("record", StructBytes.unpack(col("record"), schema))
                .collectAsList());

        // Spark evaluates expressions without generated code when compiling fails, and where it generates none.
        spark.conf().set("spark.sql.codegen.wholeStage", "false");
        spark.conf().set("spark.sql.codegen.factoryMode", "NO_CODEGEN");
        try {
            List<Row> interpreted = sorted(rows.withColumn("record", StructBytes.pack(col("record"), schema))
                    .withColumn("record", StructBytes.unpack(col("record"), schema))
                    .collectAsList());
            assertThat(generated).isEqualTo(expected);
            assertThat(interpreted).isEqualTo(expected);
        }
        finally {
            spark.conf().unset("spark.sql.codegen.wholeStage");
            spark.conf().unset("spark.sql.codegen.factoryMode");
        }
    }

    @Test
    void packsAStructBuiltByAnotherExpression(ExtensionContext context)
    {
        SparkSession spark = SharedSpark.session(context);
        // Evaluated outside generated code, a struct literal is a generic row, not Spark's row format: packed all the same.
        Dataset<Row> rows = spark.range(0, 3).select(col("id"), struct(lit("a").as("text"), lit(7L).as("number")).as("record"));
        StructType schema = (StructType) rows.schema().apply("record").dataType();
        Dataset<Row> roundTrip = rows.withColumn("record", StructBytes.pack(col("record"), schema))
                .withColumn("record", StructBytes.unpack(col("record"), schema));

        assertThat(sorted(roundTrip.collectAsList())).isEqualTo(sorted(rows.collectAsList()));
    }

    private static List<Row> sorted(List<Row> rows)
    {
        return rows.stream().sorted(Comparator.comparingLong(row -> row.getLong(0))).toList();
    }
}
