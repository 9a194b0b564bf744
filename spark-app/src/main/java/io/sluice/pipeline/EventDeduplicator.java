package io.sluice.pipeline;

import io.sluice.table.RawRecordColumns;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.KeyValueGroupedDataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.streaming.OutputMode;
import org.apache.spark.sql.streaming.TimeMode;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.timestamp_millis;
import static org.apache.spark.sql.functions.unhex;
import static org.apache.spark.sql.functions.unix_millis;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

/**
 * Streaming dedup on the CloudEvents id with an event-time watermark on {@code time}, built so that nothing is lost:
 * Spark's own {@code dropDuplicatesWithinWatermark} silently drops rows older than the watermark, so this stage is a
 * {@code transformWithState} ({@link FirstCopyProcessor}) that labels each row with a {@link DedupStatus}.
 *
 * <p>The state holds, per id, its 16 bytes ({@link #idKey}) and its first copy's event time, in one map entry of the
 * id's slot ({@link #ID_SLOTS} slots, the operator's grouping key): kept until the watermark has passed that time and
 * the slot's next sweep has run; from then on any further copy is itself older than the watermark, so it is labelled
 * LATE and the late path (an insert-only MERGE against silver) catches it. State therefore holds only ids inside the
 * window (plus at most a sweep interval), and a batch touches the entries of its own rows and the slots whose sweep
 * fell due ({@link FirstCopyProcessor}).
 *
 * <p>Why the watermark sits on a copy of {@code event_time} that is dropped before the operator: Spark's
 * {@code TransformWithStateExec} (Spark 4.0, event-time mode) removes every input row whose watermarked column is at
 * or below the watermark before the processor sees it. Its input here carries no watermarked column, so late rows
 * reach the processor and are labelled; the watermark itself is still tracked below the operator and given to it.
 */
public final class EventDeduplicator
{
    public static final String STATUS_COLUMN = "dedup_status";
    /** The 16-byte key of an id, for an initial state that must meet the stream's keys ({@link #seedState}). */
    public static final String KEY_COLUMN = "_dedup_key";
    /** Milliseconds since the epoch of the first copy's event time, in an initial state ({@link #seedState}). */
    public static final String SEED_TIME_COLUMN = "_dedup_seed_time_ms";
    private static final String WATERMARK_COLUMN = "_dedup_watermark_time";
    private static final String SLOT_COLUMN = "_dedup_slot";
    /**
     * How many slots the ids are spread over, the operator's grouping key: enough for an even spread over thousands of
     * shuffle partitions, few enough that a slot's sweep is a real batch of work. A checkpoint's state is laid out by
     * it: changing it is a new checkpoint layout, with a migration ({@code stream.DedupMigration}).
     */
    static final int ID_SLOTS = 4096;
    /** Sweeps per watermark delay: each id is looked at about this many times by its slot's sweeps. */
    private static final int SWEEPS_PER_DELAY = 4;

    private final Duration watermarkDelay;
    private final long lateBeforeMillis;

    public EventDeduplicator(Duration watermarkDelay)
    {
        this(watermarkDelay, Long.MIN_VALUE);
    }

    /**
     * @param lateBeforeMillis events older than this are LATE whatever the watermark (a checkpoint migrated from an
     * earlier operator starts with no watermark of its own, but the ids before its predecessor's watermark are not in
     * its state: see {@code stream.DedupMigration})
     */
    public EventDeduplicator(Duration watermarkDelay, long lateBeforeMillis)
    {
        this.watermarkDelay = requireNonNull(watermarkDelay, "watermarkDelay is null");
        if (watermarkDelay.isNegative() || watermarkDelay.isZero()) {
            throw new IllegalArgumentException("Invalid watermark delay: " + watermarkDelay);
        }
        this.lateBeforeMillis = lateBeforeMillis;
    }

    /**
     * @param enveloped a streaming frame with {@code event_id}, {@code event_time} and the raw record columns
     * @return the same rows and columns plus {@link #STATUS_COLUMN}
     */
    public Dataset<Row> label(Dataset<Row> enveloped)
    {
        return label(enveloped, Optional.empty());
    }

    /**
     * @param seed ids already written, as {@link #seedState} gives them: the operator starts with them in its state.
     * Spark applies an initial state in the first batch of a new checkpoint only.
     */
    public Dataset<Row> label(Dataset<Row> enveloped, Optional<Dataset<Row>> seed)
    {
        requireNonNull(enveloped, "enveloped is null");
        requireNonNull(seed, "seed is null");
        // The operator's encoders turn every field of its rows into Java objects and back; a struct (the record, most
        // of a row's fields) crosses it as its bytes instead, read in place after it.
        Map<String, StructType> structs = new LinkedHashMap<>();
        for (StructField field : enveloped.schema().fields()) {
            if (field.dataType() instanceof StructType struct) {
                structs.put(field.name(), struct);
            }
        }
        Dataset<Row> packed = enveloped;
        for (Map.Entry<String, StructType> struct : structs.entrySet()) {
            packed = packed.withColumn(struct.getKey(), StructBytes.pack(col(struct.getKey()), struct.getValue()));
        }
        Dataset<Row> keyed = packed
                .withColumn(KEY_COLUMN, when(isKeyed(), idKey(col(EnvelopeColumns.EVENT_ID))))
                // Rows without a usable id and time never touch state (the processor labels them from the row); their
                // sequence number only spreads them over the slots.
                .withColumn(SLOT_COLUMN, slot(coalesce(col(KEY_COLUMN), col(RawRecordColumns.SEQUENCE_NUMBER).cast(DataTypes.BinaryType))))
                // A computed copy, not an alias: an alias would carry the watermark's metadata to event_time.
                // Rows without an event time carry a null, which Spark's watermark tracking ignores: a malformed
                // record must not move the watermark (an arrival time would, and make good events look late).
                .withColumn(WATERMARK_COLUMN, timestamp_millis(unix_millis(col(EnvelopeColumns.EVENT_TIME))))
                .withWatermark(WATERMARK_COLUMN, watermarkDelay.toMillis() + " milliseconds")
                .drop(WATERMARK_COLUMN);

        StructType inputSchema = keyed.schema();
        StructType outputSchema = packed.schema().add(STATUS_COLUMN, DataTypes.StringType, false);
        FirstCopyProcessor processor = new FirstCopyProcessor(inputSchema, packed.schema().size(), lateBeforeMillis, ID_SLOTS,
                Math.max(1, watermarkDelay.toMillis() / SWEEPS_PER_DELAY));
        KeyValueGroupedDataset<Integer, Row> grouped = keyed.groupBy(col(SLOT_COLUMN)).as(Encoders.INT(), Encoders.row(inputSchema));
        Dataset<Row> labelled;
        if (seed.isEmpty()) {
            labelled = grouped.transformWithState(processor, TimeMode.EventTime(), OutputMode.Append(), Encoders.row(outputSchema));
        }
        else {
            Dataset<Row> seedRows = seed.get().select(col(KEY_COLUMN), col(SEED_TIME_COLUMN), slot(col(KEY_COLUMN)).as(SLOT_COLUMN));
            StructType seedSchema = seedRows.schema();
            KeyValueGroupedDataset<Integer, Row> initial = seedRows.groupBy(col(SLOT_COLUMN)).as(Encoders.INT(), Encoders.row(seedSchema));
            labelled = grouped.transformWithState(processor, TimeMode.EventTime(), OutputMode.Append(), initial,
                    Encoders.row(outputSchema), Encoders.row(seedSchema));
        }
        for (Map.Entry<String, StructType> struct : structs.entrySet()) {
            // Read in place once, where the bytes come out of the operator, not once per field a consumer reads.
            labelled = labelled.withColumn(struct.getKey(), Barrier.materialized(StructBytes.unpack(col(struct.getKey()), struct.getValue())));
        }
        return labelled;
    }

    /**
     * An initial state for {@link #label(Dataset, Optional)}: one row per id of {@code written} (columns
     * {@code event_id} and {@code event_time}, e.g. silver's), keyed as the stream keys it.
     */
    public static Dataset<Row> seedState(Dataset<Row> written)
    {
        requireNonNull(written, "written is null");
        return written
                .select(idKey(col(EnvelopeColumns.EVENT_ID)).as(KEY_COLUMN), unix_millis(col(EnvelopeColumns.EVENT_TIME)).as(SEED_TIME_COLUMN))
                .groupBy(KEY_COLUMN)
                .agg(org.apache.spark.sql.functions.min(SEED_TIME_COLUMN).as(SEED_TIME_COLUMN));
    }

    /** The slot of a key: the operator's grouping key, below {@link #ID_SLOTS}. */
    private static Column slot(Column key)
    {
        return pmod(xxhash64(key), lit(ID_SLOTS)).cast(DataTypes.IntegerType);
    }

    /**
     * The state key of an id the envelope parser accepted (a UUID in its 36-character form): its 16 bytes when written
     * in lower case, as producers almost always do. An id with an upper-case digit keeps its exact characters (36
     * bytes): ids are compared as strings everywhere else (silver, the late MERGE), so two spellings of one UUID stay
     * two ids here as well.
     */
    static Column idKey(Column id)
    {
        // Ids here are UUIDs (hex digits and hyphens): lower case means no A-F. Not lower(id) = id: Spark 4.0 lower-cases
        // through ICU, whose start-up alone took about 2 s of the first batch, and which cost 0.7% of a steady one.
        return when(not(id.rlike("[A-F]")), unhex(regexp_replace(id, "-", ""))).otherwise(id.cast(DataTypes.BinaryType));
    }

    /**
     * The same labels for a bounded input (a backfill or a replay), where every record is on time: the first copy of
     * each id is NEW, the others DUPLICATE, records without a usable id or time UNKEYED. The copy that counts is the
     * one the stream would pick, the earliest arrival; ties (archives carry no arrival time) go to the smallest
     * sequence number, then the smallest payload, so that every run picks the same copy.
     */
    public static Dataset<Row> labelBatch(Dataset<Row> enveloped)
    {
        WindowSpec copies = Window.partitionBy(when(isKeyed(), col(EnvelopeColumns.EVENT_ID)))
                .orderBy(col(RawRecordColumns.APPROXIMATE_ARRIVAL_TIMESTAMP).asc_nulls_last(),
                        col(RawRecordColumns.SEQUENCE_NUMBER).asc_nulls_last(),
                        col(RawRecordColumns.DATA).asc_nulls_last());
        // Not not(isKeyed()): the optimizer would spend a pass of its rule batch rewriting that into this.
        Column status = when(col(EnvelopeColumns.EVENT_ID).isNull().or(col(EnvelopeColumns.EVENT_TIME).isNull()), lit(DedupStatus.UNKEYED.name()))
                .when(row_number().over(copies).equalTo(1), lit(DedupStatus.NEW.name()))
                .otherwise(lit(DedupStatus.DUPLICATE.name()));
        return enveloped.withColumn(STATUS_COLUMN, status);
    }

    private static Column isKeyed()
    {
        return col(EnvelopeColumns.EVENT_ID).isNotNull().and(col(EnvelopeColumns.EVENT_TIME).isNotNull());
    }
}
