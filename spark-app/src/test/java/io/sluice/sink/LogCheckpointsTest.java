package io.sluice.sink;

import io.sluice.table.TableSpec;
import io.sluice.testing.ExtensionContextResolver;
import io.sluice.testing.SharedSpark;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(ExtensionContextResolver.class)
final class LogCheckpointsTest
{
    private static final StructType SCHEMA = new StructType()
            .add("id", DataTypes.LongType, false)
            .add("kind", DataTypes.StringType, false);

    private SparkSession spark;

    @BeforeAll
    void start(ExtensionContext context)
    {
        spark = SharedSpark.session(context);
    }

    @Test
    void commitsNeverCheckpointAndTheDueCheckpointIsWrittenOnRequest(@TempDir Path directory)
            throws Exception
    {
        TableSpec table = table(directory);
        appendOneRowPerCommit(table, 1, 10);

        assertThat(checkpoints(table)).as("Delta's own checkpoint in the commit of version 10 is off").isEmpty();
        try (LogCheckpoints checkpoints = new LogCheckpoints(spark, 10)) {
            checkpoints.writeDue(List.of(table));
        }
        assertThat(checkpoints(table)).containsExactly("00000000000000000010.checkpoint.parquet");
        assertThat(ids(table)).isEqualTo(LongStream.rangeClosed(1, 10).boxed().toList());
    }

    @Test
    void aCheckpointIsDueTenVersionsAfterTheLastOne(@TempDir Path directory)
            throws Exception
    {
        TableSpec table = table(directory);
        try (LogCheckpoints checkpoints = new LogCheckpoints(spark, 10)) {
            appendOneRowPerCommit(table, 1, 9);
            checkpoints.writeDue(List.of(table));
            assertThat(checkpoints(table)).as("version 9: nothing due").isEmpty();

            appendOneRowPerCommit(table, 10, 10);
            checkpoints.writeDue(List.of(table));
            appendOneRowPerCommit(table, 11, 19);
            checkpoints.writeDue(List.of(table));
            assertThat(checkpoints(table)).as("version 19 is 9 past the checkpoint of 10").containsExactly("00000000000000000010.checkpoint.parquet");

            appendOneRowPerCommit(table, 20, 20);
            checkpoints.writeDue(List.of(table));
        }
        assertThat(checkpoints(table)).containsExactly("00000000000000000010.checkpoint.parquet", "00000000000000000020.checkpoint.parquet");
        assertThat(ids(table)).isEqualTo(LongStream.rangeClosed(1, 20).boxed().toList());
    }

    @Test
    void aCheckpointIsDueAfterTheConfiguredInterval(@TempDir Path directory)
            throws Exception
    {
        TableSpec table = table(directory);
        try (LogCheckpoints checkpoints = new LogCheckpoints(spark, 3)) {
            appendOneRowPerCommit(table, 1, 2);
            checkpoints.writeDue(List.of(table));
            assertThat(checkpoints(table)).as("version 2: nothing due").isEmpty();

            appendOneRowPerCommit(table, 3, 3);
            checkpoints.writeDue(List.of(table));
        }
        assertThat(checkpoints(table)).containsExactly("00000000000000000003.checkpoint.parquet");
        assertThatThrownBy(() -> new LogCheckpoints(spark, 0)).hasMessage("Invalid log checkpoint interval: 0 (expected at least 1)");
    }

    @Test
    void scheduledCheckpointIsWrittenInTheBackgroundWhileCommitsGoOn(@TempDir Path directory)
            throws Exception
    {
        TableSpec table = table(directory);
        appendOneRowPerCommit(table, 1, 10);
        try (LogCheckpoints checkpoints = new LogCheckpoints(spark, 10)) {
            checkpoints.scheduleDue(List.of(table));
            appendOneRowPerCommit(table, 11, 13);
            await().atMost(Duration.ofMinutes(1)).until(() -> !checkpoints(table).isEmpty());
        }
        assertThat(checkpoints(table)).hasSize(1).allSatisfy(name -> assertThat(name).endsWith(".checkpoint.parquet"));
        assertThat(ids(table)).isEqualTo(LongStream.rangeClosed(1, 13).boxed().toList());
    }

    private TableSpec table(Path directory)
    {
        TableSpec table = new TableSpec("events", directory.resolve("events").toString(), SCHEMA, List.of("kind"), true);
        new DeltaTables(spark).ensure(table);
        return table;
    }

    private void appendOneRowPerCommit(TableSpec table, long first, long last)
    {
        for (long id = first; id <= last; id++) {
            spark.createDataFrame(List.of(RowFactory.create(id, "serve")), SCHEMA).write().format("delta").mode("append").save(table.location());
        }
    }

    private List<Long> ids(TableSpec table)
    {
        return spark.read().format("delta").load(table.location()).select("id").as(Encoders.LONG()).collectAsList().stream().sorted().toList();
    }

    private static List<String> checkpoints(TableSpec table)
            throws Exception
    {
        try (Stream<Path> files = Files.list(Path.of(table.location(), "_delta_log"))) {
            return files.map(file -> file.getFileName().toString()).filter(name -> name.matches("[0-9]{20}\\.checkpoint\\.parquet")).sorted().toList();
        }
    }
}
