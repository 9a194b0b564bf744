package io.sluice.sink;

import io.sluice.table.BronzeRecords;
import io.sluice.table.TableSpec;

import io.delta.tables.DeltaTable;
import io.sluice.testing.ExtensionContextResolver;
import io.sluice.testing.SharedSpark;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(ExtensionContextResolver.class)
final class DeltaTablesTest
{
    private static final StructType V1 = new StructType()
            .add("event_id", DataTypes.StringType, false)
            .add("speed_kmh", DataTypes.DoubleType, false)
            .add("score", new StructType().add("server", DataTypes.StringType, false), false)
            .add("shots", DataTypes.createArrayType(DataTypes.StringType, false), true)
            .add("event_type", DataTypes.StringType, false);

    private SparkSession spark;

    @BeforeAll
    void start(ExtensionContext context)
    {
        spark = SharedSpark.session(context);
    }

    @Test
    void compatibleVersionAddsNullableColumnsWithoutRewritingData(@TempDir Path directory)
    {
        String location = directory.resolve("serves").toString();
        DeltaTables tables = new DeltaTables(spark);
        tables.ensure(new TableSpec("serves", location, V1, List.of("event_type"), false));
        spark.createDataFrame(List.of(RowFactory.create("a", 190.5, RowFactory.create("15"), scala.jdk.javaapi.CollectionConverters.asScala(List.of("serve")).toSeq(), "serve")), V1)
                .write().format("delta").mode("append").save(location);
        List<String> filesBefore = List.of(spark.read().format("delta").load(location).inputFiles());

        StructType v2 = V1.add("court_side", DataTypes.StringType, true);
        tables.ensure(new TableSpec("serves", location, v2, List.of("event_type"), false));

        StructType evolved = DeltaTable.forPath(spark, location).toDF().schema();
        assertThat(evolved.fieldNames()).containsExactly("event_id", "speed_kmh", "score", "shots", "event_type", "court_side");
        assertThat(evolved.apply("event_id").nullable()).as("top-level NOT NULL kept").isFalse();
        assertThat(List.of(spark.read().format("delta").load(location).inputFiles())).as("no data rewritten").isEqualTo(filesBefore);
        Row row = spark.read().format("delta").load(location).first();
        assertThat(row.<String>getAs("event_id")).isEqualTo("a");
        assertThat(row.<String>getAs("court_side")).isNull();
    }

    @Test
    void distinctValueColumnsAreWrittenWithoutDictionary(@TempDir Path directory)
            throws IOException
    {
        String location = directory.resolve("serves").toString();
        new DeltaTables(spark).ensure(new TableSpec("serves", location, V1, List.of("event_type"), false));
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            rows.add(RowFactory.create(java.util.UUID.randomUUID().toString(), i % 7 * 10.0, RowFactory.create(Integer.toString(i % 3)),
                    scala.jdk.javaapi.CollectionConverters.asScala(List.of("serve")).toSeq(), "serve"));
        }
        spark.createDataFrame(rows, V1).coalesce(1).write().format("delta").mode("append").save(location);

        String file = spark.read().format("delta").load(location).inputFiles()[0];
        Configuration configuration = spark.sparkContext().hadoopConfiguration();
        try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(file), configuration))) {
            Map<String, Boolean> dictionaryByColumn = new TreeMap<>();
            for (BlockMetaData block : reader.getFooter().getBlocks()) {
                for (ColumnChunkMetaData column : block.getColumns()) {
                    dictionaryByColumn.merge(column.getPath().toDotString(), column.hasDictionaryPage(), Boolean::logicalOr);
                }
            }
            assertThat(dictionaryByColumn).as("the event id, distinct per row, plain; a repeating value keeps its dictionary")
                    .containsEntry("event_id", false)
                    .containsEntry("score.server", true);
        }
    }

    @Test
    void payloadColumnsAreWrittenWithoutMinMaxStatistics(@TempDir Path directory)
            throws IOException
    {
        StructType schema = new StructType()
                .add(BronzeRecords.PAYLOAD, DataTypes.BinaryType, false)
                .add("event_id", DataTypes.StringType, false)
                .add("event_type", DataTypes.StringType, false);
        String location = directory.resolve("bronze").toString();
        new DeltaTables(spark).ensure(new TableSpec("bronze", location, schema, List.of("event_type"), true));
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            rows.add(RowFactory.create(("{\"n\":" + i + "}").getBytes(java.nio.charset.StandardCharsets.UTF_8), java.util.UUID.randomUUID().toString(), "serve"));
        }
        spark.createDataFrame(rows, schema).coalesce(1).write().format("delta").mode("append").save(location);

        String file = spark.read().format("delta").load(location).inputFiles()[0];
        try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(file), spark.sparkContext().hadoopConfiguration()))) {
            Map<String, Boolean> boundsByColumn = new TreeMap<>();
            for (BlockMetaData block : reader.getFooter().getBlocks()) {
                for (ColumnChunkMetaData column : block.getColumns()) {
                    boundsByColumn.merge(column.getPath().toDotString(), column.getStatistics().hasNonNullValue(), Boolean::logicalOr);
                }
            }
            assertThat(boundsByColumn).as("no bounds for the payload, which no query filters on; the event id keeps them")
                    .containsEntry(BronzeRecords.PAYLOAD, false)
                    .containsEntry("event_id", true);
        }
    }

    @Test
    void retypedColumnIsRefused(@TempDir Path directory)
    {
        String location = directory.resolve("serves").toString();
        DeltaTables tables = new DeltaTables(spark);
        tables.ensure(new TableSpec("serves", location, V1, List.of("event_type"), false));
        StructType retyped = new StructType()
                .add("event_id", DataTypes.StringType, false)
                .add("speed_kmh", DataTypes.StringType, false)
                .add("score", new StructType().add("server", DataTypes.StringType, false), false)
                .add("shots", DataTypes.createArrayType(DataTypes.StringType, false), true)
                .add("event_type", DataTypes.StringType, false);
        assertThatThrownBy(() -> tables.ensure(new TableSpec("serves", location, retyped, List.of("event_type"), false)))
                .hasMessage("Cannot evolve table serves: column speed_kmh is double in the table but string in its contract");
    }

    @Test
    void tablesAreCreatedWithAthenaReadableProperties(@TempDir Path directory)
    {
        String location = directory.resolve("bronze").toString();
        new DeltaTables(spark).ensure(new TableSpec("bronze", location, V1, List.of("event_type"), true));
        Row detail = DeltaTable.forPath(spark, location).detail().first();
        scala.collection.Map<String, String> properties = detail.getMap(detail.fieldIndex("properties"));
        assertThat(properties.get("delta.enableDeletionVectors").get()).isEqualTo("false");
        assertThat(properties.get("delta.appendOnly").get()).isEqualTo("true");
        assertThat(detail.<Integer>getAs("minReaderVersion")).isEqualTo(1);
        assertThat(detail.getList(detail.fieldIndex("partitionColumns"))).containsExactly("event_type");
    }

    @Test
    void ensureAllCreatesAndEvolvesTablesSideBySideAndReportsTheFailingOne(@TempDir Path directory)
    {
        DeltaTables tables = new DeltaTables(spark);
        String retypedLocation = directory.resolve("retyped").toString();
        tables.ensure(new TableSpec("retyped", retypedLocation, V1, List.of("event_type"), false));
        StructType v2 = V1.add("spin_rpm", DataTypes.LongType, true);
        StructType retyped = new StructType(Arrays.stream(V1.fields())
                .map(field -> field.name().equals("speed_kmh") ? field.copy(field.name(), DataTypes.StringType, false, field.metadata()) : field)
                .toArray(StructField[]::new));
        List<TableSpec> specs = new ArrayList<>();
        for (String name : List.of("serves", "points", "status", "bronze")) {
            specs.add(new TableSpec(name, directory.resolve(name).toString(), v2, List.of("event_type"), false));
        }
        specs.add(new TableSpec("retyped", retypedLocation, retyped, List.of("event_type"), false));

        assertThatThrownBy(() -> tables.ensureAll(specs))
                .hasMessage("Cannot evolve table retyped: column speed_kmh is double in the table but string in its contract");
        for (TableSpec spec : specs.subList(0, 4)) {
            assertThat(DeltaTable.forPath(spark, spec.location()).toDF().schema().fieldNames())
                    .as(spec.name())
                    .containsExactly("event_id", "speed_kmh", "score", "shots", "event_type", "spin_rpm");
        }

        tables.ensureAll(specs.subList(0, 4));
        assertThat(DeltaTable.forPath(spark, specs.get(0).location()).history().count()).isEqualTo(1);
    }
}
