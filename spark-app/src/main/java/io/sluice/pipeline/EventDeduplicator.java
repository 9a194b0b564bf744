package io.sluice.pipeline;

import io.sluice.table.RawRecordColumns;

import org.apache.spark.api.java.function.FlatMapGroupsWithStateFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.streaming.GroupState;
import org.apache.spark.sql.streaming.GroupStateTimeout;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.streaming.OutputMode;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.when;

/**
 * Streaming dedup on the CloudEvents id with an event-time watermark on {@code time}, built so that nothing is lost:
 * Spark's own {@code dropDuplicatesWithinWatermark} silently drops rows older than the watermark, so this stage uses
 * {@code flatMapGroupsWithState} instead and labels each row with a {@link DedupStatus}.
 *
 * <p>State per event id is the first copy's event time (a long). It is kept until the watermark has passed that
 * time; from then on any further copy is itself older than the watermark, so it is labelled LATE and the late path
 * (an insert-only MERGE against silver) catches it. State therefore holds only ids inside the window.
 * Expiry is checked on a processing-time timeout equal to the watermark delay, because an event-time timeout would
 * make Spark drop late rows before this function sees them.
 */
public final class EventDeduplicator
{
    public static final String STATUS_COLUMN = "dedup_status";
    private static final String KEY_COLUMN = "_dedup_key";
    private static final String UNKEYED_PREFIX = "\u0000unkeyed:";

    private final Duration watermarkDelay;

    public EventDeduplicator(Duration watermarkDelay)
    {
        this.watermarkDelay = requireNonNull(watermarkDelay, "watermarkDelay is null");
        if (watermarkDelay.isNegative() || watermarkDelay.isZero()) {
            throw new IllegalArgumentException("Invalid watermark delay: " + watermarkDelay);
        }
    }

    /**
     * @param enveloped a streaming frame with {@code event_id}, {@code event_time} and the raw record columns
     * @return the same rows and columns plus {@link #STATUS_COLUMN}
     */
    public Dataset<Row> label(Dataset<Row> enveloped)
    {
        // Rows without a usable id and time get a unique key of their own (stream + sequence number are unique in a
        // stream), so they pass through without touching state.
        Column keyed = col(EnvelopeColumns.EVENT_ID).isNotNull().and(col(EnvelopeColumns.EVENT_TIME).isNotNull());
        Dataset<Row> withKey = enveloped
                .withColumn(KEY_COLUMN, when(keyed, col(EnvelopeColumns.EVENT_ID))
                        .otherwise(concat(lit(UNKEYED_PREFIX), coalesce(col(RawRecordColumns.STREAM_NAME), lit("")), lit(":"),
                                coalesce(col(RawRecordColumns.SEQUENCE_NUMBER), lit("")))))
                // Rows without an event time carry a null here, which Spark's watermark tracking ignores: a malformed
                // record must not move the watermark (an arrival time would, and make good events look late).
                .withWatermark(EnvelopeColumns.EVENT_TIME, watermarkDelay.toMillis() + " milliseconds");

        StructType inputSchema = withKey.schema();
        StructType outputSchema = enveloped.schema().add(STATUS_COLUMN, DataTypes.StringType, false);
        return withKey
                .groupBy(col(KEY_COLUMN))
                .as(Encoders.STRING(), Encoders.row(inputSchema))
                .flatMapGroupsWithState(
                        new LabelFunction(inputSchema, enveloped.schema().size(), watermarkDelay.toMillis()),
                        OutputMode.Append(),
                        Encoders.LONG(),
                        Encoders.row(outputSchema),
                        GroupStateTimeout.ProcessingTimeTimeout());
    }

    /**
     * The same labels for a bounded input (a backfill or a replay), where every record is on time: the first copy of
     * each id is NEW, the others DUPLICATE, records without a usable id or time UNKEYED. The copy that counts is the
     * one the stream would pick, the earliest arrival; ties (archives carry no arrival time) go to the smallest
     * sequence number, then the smallest payload, so that every run picks the same copy.
     */
    public static Dataset<Row> labelBatch(Dataset<Row> enveloped)
    {
        Column keyed = col(EnvelopeColumns.EVENT_ID).isNotNull().and(col(EnvelopeColumns.EVENT_TIME).isNotNull());
        WindowSpec copies = Window.partitionBy(when(keyed, col(EnvelopeColumns.EVENT_ID)))
                .orderBy(col(RawRecordColumns.APPROXIMATE_ARRIVAL_TIMESTAMP).asc_nulls_last(),
                        col(RawRecordColumns.SEQUENCE_NUMBER).asc_nulls_last(),
                        col(RawRecordColumns.DATA).asc_nulls_last());
        Column status = when(not(keyed), lit(DedupStatus.UNKEYED.name()))
                .when(row_number().over(copies).equalTo(1), lit(DedupStatus.NEW.name()))
                .otherwise(lit(DedupStatus.DUPLICATE.name()));
        return enveloped.withColumn(STATUS_COLUMN, status);
    }

    private static final class LabelFunction
            implements FlatMapGroupsWithStateFunction<String, Row, Long, Row>
    {
        private static final long serialVersionUID = 1L;

        private final int eventTimeIndex;
        private final int arrivalIndex;
        private final int sequenceIndex;
        private final int outputWidth;
        private final long delayMillis;

        LabelFunction(StructType inputSchema, int outputWidth, long delayMillis)
        {
            this.eventTimeIndex = inputSchema.fieldIndex(EnvelopeColumns.EVENT_TIME);
            this.arrivalIndex = inputSchema.fieldIndex(RawRecordColumns.APPROXIMATE_ARRIVAL_TIMESTAMP);
            this.sequenceIndex = inputSchema.fieldIndex(RawRecordColumns.SEQUENCE_NUMBER);
            this.outputWidth = outputWidth;
            this.delayMillis = delayMillis;
        }

        @Override
        public Iterator<Row> call(String key, Iterator<Row> rows, GroupState<Long> state)
        {
            if (state.hasTimedOut()) {
                if (state.getCurrentWatermarkMs() > state.get()) {
                    state.remove();
                }
                else {
                    state.setTimeoutDuration(delayMillis);
                }
                return java.util.Collections.emptyIterator();
            }
            List<Row> group = new ArrayList<>();
            rows.forEachRemaining(group::add);
            if (key.startsWith(UNKEYED_PREFIX)) {
                return group.stream().map(row -> label(row, DedupStatus.UNKEYED)).iterator();
            }
            // Copies of one id in one batch: the earliest arrival is the one that counts, the same on every re-run.
            group.sort(Comparator.comparing((Row row) -> (Timestamp) row.get(arrivalIndex), Comparator.nullsLast(Comparator.naturalOrder()))
                    .thenComparing(row -> String.valueOf(row.get(sequenceIndex))));
            List<Row> labelled = new ArrayList<>(group.size());
            int first = 0;
            if (!state.exists()) {
                long eventTime = ((Timestamp) group.get(0).get(eventTimeIndex)).getTime();
                labelled.add(label(group.get(0), eventTime < state.getCurrentWatermarkMs() ? DedupStatus.LATE : DedupStatus.NEW));
                state.update(eventTime);
                first = 1;
            }
            for (int i = first; i < group.size(); i++) {
                labelled.add(label(group.get(i), DedupStatus.DUPLICATE));
            }
            state.setTimeoutDuration(delayMillis);
            return labelled.iterator();
        }

        private Row label(Row row, DedupStatus status)
        {
            Object[] values = new Object[outputWidth + 1];
            for (int i = 0; i < outputWidth; i++) {
                values[i] = row.get(i);
            }
            values[outputWidth] = status.name();
            return RowFactory.create(values);
        }
    }
}
