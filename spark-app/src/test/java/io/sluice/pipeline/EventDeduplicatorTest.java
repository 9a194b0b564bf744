package io.sluice.pipeline;

import io.sluice.contract.Contracts;
import io.sluice.table.RawRecordColumns;
import io.sluice.testing.ExtensionContextResolver;
import io.sluice.testing.SharedSpark;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.plans.logical.EventTimeWatermark;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDir;
import scala.jdk.javaapi.CollectionConverters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The streaming dedup operator on its own, batch by batch: which copy of an id counts, what is a duplicate across
 * batches, what is late (and that late rows come out labelled instead of being dropped by the operator), and how an
 * initial state seeds it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(ExtensionContextResolver.class)
final class EventDeduplicatorTest
{
    private static final Instant T0 = Instant.parse("2026-06-29T13:00:00Z");
    private static final Duration DELAY = Duration.ofMinutes(10);

    private SparkSession spark;

    @BeforeAll
    void start(ExtensionContext context)
    {
        spark = SharedSpark.session(context);
    }

    @Test
    void labelsFirstCopiesDuplicatesLateAndUnkeyedRows(@TempDir Path work)
            throws Exception
    {
        String a = "0f8e1c7a-1111-4a8b-9c3d-000000000001";
        String b = "0f8e1c7a-1111-4a8b-9c3d-000000000002";
        String late = "0f8e1c7a-1111-4a8b-9c3d-000000000003";
        String upper = a.toUpperCase(java.util.Locale.ROOT);
        Input input = new Input(spark, work.resolve("input"));
        Run run = Run.start(spark, new EventDeduplicator(DELAY).label(new ContractEnforcer(Contracts.registry()).parse(input.stream())), work);
        try {
            // Batch 0: two copies of a (the earlier arrival counts, whatever the order they are read in), the same UUID
            // in upper case (another id to silver and to the late MERGE, so another id here), and a record without an id.
            run.add(input, record("s2", 5, event(a, T0)), record("s1", 2, event(a, T0)), record("s3", 1, event(upper, T0)),
                    record("s4", 1, "{\"not\": \"an event\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            // Batch 1: a again, and b an hour later, which moves the watermark to T0 + 50 min for the next batch.
            run.add(input, record("s5", 10, event(a, T0)), record("s6", 10, event(b, T0.plus(Duration.ofHours(1)))));
            // Batch 2: an id first seen below the watermark, two copies of it; a copy of a, whose window has passed
            // with this batch's watermark (its id is forgotten after the batch's rows, as before), and one of b.
            run.add(input, record("s7", 20, event(late, T0.plusSeconds(60))), record("s8", 21, event(late, T0.plusSeconds(60))),
                    record("s9", 20, event(a, T0)), record("s10", 20, event(b, T0.plus(Duration.ofHours(1)))));
            // Batch 3: a is forgotten, so a copy of it is late, for the late path to check against silver.
            run.add(input, record("s11", 30, event(a, T0)));
        }
        finally {
            run.query().stop();
        }

        assertThat(run.labels()).isEqualTo(new TreeMap<>(Map.ofEntries(
                Map.entry("s1", "NEW"), Map.entry("s2", "DUPLICATE"), Map.entry("s3", "NEW"), Map.entry("s4", "UNKEYED"),
                Map.entry("s5", "DUPLICATE"), Map.entry("s6", "NEW"),
                Map.entry("s7", "LATE"), Map.entry("s8", "DUPLICATE"), Map.entry("s9", "DUPLICATE"), Map.entry("s10", "DUPLICATE"),
                Map.entry("s11", "LATE"))));
    }

    /**
     * A producer whose first attempt was broken (cut short, or with a number JSON does not allow) sends the event
     * again: the intact copy is the event, not a duplicate of the broken one, in the stream and in a backfill.
     */
    @Test
    void brokenFirstCopyDoesNotHideItsIntactResend(@TempDir Path work)
            throws Exception
    {
        String a = "0f8e1c7a-1111-4a8b-9c3d-000000000001";
        String b = "0f8e1c7a-1111-4a8b-9c3d-000000000002";
        byte[] intactA = event(a, T0);
        byte[] intactB = event(b, T0);
        ContractEnforcer parser = new ContractEnforcer(Contracts.registry());
        Input input = new Input(spark, work.resolve("input"));
        Run run = Run.start(spark, new EventDeduplicator(DELAY).label(parser.parse(input.stream())), work);
        try {
            // The id and time come before the defect: Spark's reader keeps the fields it read before failing on a number
            // (the leading zero); not when the input ends early.
            run.add(input, record("s1", 1, leadingZero(intactA)), record("s2", 2, intactA));
            run.add(input, record("s3", 3, java.util.Arrays.copyOf(intactB, intactB.length - 20)));
            run.add(input, record("s4", 4, intactB), record("s5", 5, intactB));
        }
        finally {
            run.query().stop();
        }

        Map<String, String> expected = new TreeMap<>(Map.of("s1", "UNKEYED", "s2", "NEW", "s3", "UNKEYED", "s4", "NEW", "s5", "DUPLICATE"));
        assertThat(run.labels()).isEqualTo(expected);

        // A backfill of the same records labels them the same.
        Map<String, String> backfilled = new TreeMap<>();
        EventDeduplicator.labelBatch(parser.parse(spark.read().schema(RawRecordColumns.SCHEMA).parquet(input.directory().toString())))
                .select(col(RawRecordColumns.STREAM_NAME), col(EventDeduplicator.STATUS_COLUMN))
                .collectAsList()
                .forEach(row -> backfilled.put(row.getString(0), row.getString(1)));
        assertThat(backfilled).isEqualTo(expected);
    }

    @Test
    void lateRowsReachTheOperatorAndComeOutLabelled(@TempDir Path work)
            throws Exception
    {
        Input input = new Input(spark, work.resolve("input"));
        Run run = Run.start(spark, new EventDeduplicator(DELAY).label(new ContractEnforcer(Contracts.registry()).parse(input.stream())), work);
        SparkPlan operator;
        long droppedByWatermark;
        try {
            run.add(input, record("on-time", 1, event("0f8e1c7a-2222-4a8b-9c3d-000000000001", T0.plus(Duration.ofHours(1)))));
            // Spark filters late input by the previous batch's watermark: one more batch, so that it is in force.
            run.add(input, record("next", 2, event("0f8e1c7a-2222-4a8b-9c3d-000000000003", T0.plus(Duration.ofHours(1)))));
            run.add(input, record("late", 3, event("0f8e1c7a-2222-4a8b-9c3d-000000000002", T0)));
            operator = transformWithState(run.query());
            droppedByWatermark = run.query().lastProgress().stateOperators()[0].numRowsDroppedByWatermark();
        }
        finally {
            run.query().stop();
        }
        assertThat(run.labels()).isEqualTo(new TreeMap<>(Map.of("on-time", "NEW", "next", "NEW", "late", "LATE")));
        assertThat(droppedByWatermark).isZero();
        assertThat(call(operator, "eventTimeWatermarkForEviction")).as("the operator is given the watermark").isEqualTo(scala.Some.apply(
                T0.plus(Duration.ofHours(1)).minus(DELAY).toEpochMilli()));
        assertThat(CollectionConverters.asJava(operator.children().head().output()))
                .as("no input column carries the watermark, so the operator filters no input row")
                .noneMatch(attribute -> attribute.metadata().contains(EventTimeWatermark.delayKey()));
        assertThat(((scala.Option<?>) call(operator, "watermarkPredicateForDataForLateEvents")).isEmpty()).isTrue();
        assertThat(CollectionConverters.asJava(operator.children().head().output()))
                .as("the record crosses the operator as its bytes, not converted into Java objects field by field")
                .anyMatch(attribute -> attribute.name().equals(EnvelopeColumns.RECORD) && attribute.dataType().equals(DataTypes.BinaryType))
                .noneMatch(attribute -> attribute.dataType() instanceof StructType);
    }

    @Test
    void seededIdsAreDuplicatesAndIdsBeforeTheFloorLate(@TempDir Path work)
            throws Exception
    {
        String seeded = "0f8e1c7a-3333-4a8b-9c3d-000000000001";
        String old = "0f8e1c7a-3333-4a8b-9c3d-000000000002";
        String fresh = "0f8e1c7a-3333-4a8b-9c3d-000000000003";
        Instant floor = T0.plus(Duration.ofMinutes(5));
        Dataset<Row> written = spark.createDataFrame(List.of(RowFactory.create(seeded, Timestamp.from(T0.plus(Duration.ofMinutes(30))))),
                new org.apache.spark.sql.types.StructType().add("event_id", "string").add("event_time", "timestamp"));
        Input input = new Input(spark, work.resolve("input"));
        Run run = Run.start(spark, new EventDeduplicator(DELAY, floor.toEpochMilli())
                .label(new ContractEnforcer(Contracts.registry()).parse(input.stream()), Optional.of(EventDeduplicator.seedState(written))), work);
        try {
            run.add(input, record("seeded", 1, event(seeded, T0.plus(Duration.ofMinutes(30)))), record("old", 1, event(old, T0)),
                    record("fresh", 1, event(fresh, T0.plus(Duration.ofMinutes(6)))));
        }
        finally {
            run.query().stop();
        }
        assertThat(run.labels()).isEqualTo(new TreeMap<>(Map.of("seeded", "DUPLICATE", "old", "LATE", "fresh", "NEW")));
    }

    /**
     * A checkpoint begun when state was encoded as UnsafeRow (Sluice before Avro was its default) still finds its ids:
     * Spark fixes the format in the checkpoint when it starts. Read with the other encoding, a's key would not be found
     * and its copy would come out NEW.
     */
    @Test
    void checkpointBegunWithUnsafeRowStateKeepsItsIds(@TempDir Path work)
            throws Exception
    {
        String encoding = "spark.sql.streaming.stateStore.encodingFormat";
        String a = "0f8e1c7a-5555-4a8b-9c3d-000000000001";
        String b = "0f8e1c7a-5555-4a8b-9c3d-000000000002";
        assertThat(spark.conf().get(encoding)).isEqualTo("avro");
        Input input = new Input(spark, work.resolve("input"));
        spark.conf().set(encoding, "unsaferow");
        Run before;
        try {
            before = Run.start(spark, new EventDeduplicator(DELAY).label(new ContractEnforcer(Contracts.registry()).parse(input.stream())), work);
            try {
                before.add(input, record("first", 1, event(a, T0)));
            }
            finally {
                before.query().stop();
            }
        }
        finally {
            spark.conf().set(encoding, "avro");
        }
        Run after = Run.start(spark, new EventDeduplicator(DELAY).label(new ContractEnforcer(Contracts.registry()).parse(input.stream())), work);
        try {
            after.add(input, record("again", 2, event(a, T0)), record("other", 2, event(b, T0)));
        }
        finally {
            after.query().stop();
        }
        assertThat(before.labels()).isEqualTo(Map.of("first", "NEW"));
        assertThat(after.labels()).isEqualTo(Map.of("again", "DUPLICATE", "other", "NEW"));
    }

    @Test
    void availableNowFinishes(@TempDir Path work)
            throws Exception
    {
        Input input = new Input(spark, work.resolve("input"));
        input.write(record("first", 1, event("0f8e1c7a-4444-4a8b-9c3d-000000000001", T0)));
        input.write(record("again", 2, event("0f8e1c7a-4444-4a8b-9c3d-000000000001", T0)));
        List<Row> out = new CopyOnWriteArrayList<>();
        StreamingQuery query = new EventDeduplicator(DELAY).label(new ContractEnforcer(Contracts.registry()).parse(input.stream()))
                .select(col(RawRecordColumns.STREAM_NAME), col(EventDeduplicator.STATUS_COLUMN))
                .writeStream()
                .option("checkpointLocation", work.resolve("query").toString())
                .trigger(Trigger.AvailableNow())
                .foreachBatch((VoidFunction2<Dataset<Row>, Long>) (batch, batchId) -> out.addAll(batch.collectAsList()))
                .start();
        assertThat(query.awaitTermination(TimeUnit.MINUTES.toMillis(3))).as("Trigger.AvailableNow ended by itself").isTrue();
        assertThat(query.exception().isEmpty()).isTrue();
        assertThat(out).extracting(row -> row.getString(0) + "=" + row.getString(1)).containsExactlyInAnyOrder("first=NEW", "again=DUPLICATE");
        assertThat(query.recentProgress()).as("no batch without data").allSatisfy(progress -> assertThat(progress.numInputRows()).isPositive());
    }

    /**
     * The query's {@code TransformWithStateExec}, found by name: Spark 4.1 (the Glue build) moved the streaming
     * execution classes to other packages, so the test names none of them.
     */
    private static SparkPlan transformWithState(StreamingQuery query)
            throws ReflectiveOperationException
    {
        Object execution = query.getClass().getMethod("streamingQuery").invoke(query);
        Object incremental = execution.getClass().getMethod("lastExecution").invoke(execution);
        SparkPlan plan = (SparkPlan) incremental.getClass().getMethod("executedPlan").invoke(incremental);
        List<SparkPlan> found = new ArrayList<>();
        plan.foreach(node -> {
            if (node.getClass().getSimpleName().equals("TransformWithStateExec")) {
                found.add(node);
            }
            return null;
        });
        assertThat(found).hasSize(1);
        return found.get(0);
    }

    private static Object call(Object target, String method)
            throws ReflectiveOperationException
    {
        return target.getClass().getMethod(method).invoke(target);
    }

    private static byte[] event(String id, Instant time)
    {
        return Events.bytes(Events.with(Events.serve(1), event -> {
            event.put("id", id);
            event.put("time", time.toString());
        }));
    }

    private static byte[] leadingZero(byte[] event)
    {
        String text = new String(event, java.nio.charset.StandardCharsets.UTF_8);
        assertThat(text).contains("\"set_number\":2,");
        return text.replace("\"set_number\":2,", "\"set_number\":02,").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** A raw record whose stream name is the test's name for it, arriving {@code arrivalSecond} seconds after T0. */
    private static Row record(String name, int arrivalSecond, byte[] payload)
    {
        return RowFactory.create(payload, name, "pk", String.format("%05d", arrivalSecond), Timestamp.from(T0.plusSeconds(arrivalSecond)), "shardId-0");
    }

    /** A streaming query that keeps each row's label by the row's name, one batch per {@link #add}. */
    private record Run(StreamingQuery query, List<Row> out)
    {
        static Run start(SparkSession spark, Dataset<Row> labelled, Path work)
                throws Exception
        {
            List<Row> out = new CopyOnWriteArrayList<>();
            StreamingQuery query = labelled.select(col(RawRecordColumns.STREAM_NAME), col(EventDeduplicator.STATUS_COLUMN))
                    .writeStream()
                    .option("checkpointLocation", work.resolve("query").toString())
                    .foreachBatch((VoidFunction2<Dataset<Row>, Long>) (batch, batchId) -> out.addAll(batch.collectAsList()))
                    .start();
            return new Run(query, out);
        }

        void add(Input input, Row... rows)
        {
            input.write(rows);
            query.processAllAvailable();
        }

        Map<String, String> labels()
        {
            Map<String, String> labels = new TreeMap<>();
            for (Row row : out) {
                assertThat(labels.put(row.getString(0), row.getString(1))).as("one label per row: " + row.getString(0)).isNull();
            }
            return labels;
        }
    }

    /** Raw records as Parquet files in a directory, streamed one file per micro-batch. */
    private record Input(SparkSession spark, Path directory)
    {
        Input
        {
            try {
                Files.createDirectories(directory);
            }
            catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        Dataset<Row> stream()
        {
            return spark.readStream().schema(RawRecordColumns.SCHEMA).option("maxFilesPerTrigger", 1).parquet(directory.toString());
        }

        void write(Row... rows)
        {
            spark.createDataFrame(List.of(rows), RawRecordColumns.SCHEMA).coalesce(1).write().mode("append").parquet(directory.toString());
        }
    }
}
