package io.sluice.stream;

import io.sluice.config.ConfigKeys;
import io.sluice.config.SluiceConfig;
import io.sluice.lake.Lake;
import io.sluice.pipeline.DedupStatus;
import io.sluice.pipeline.EnvelopeColumns;
import io.sluice.pipeline.EventDeduplicator;
import io.sluice.sink.BatchReport;
import io.sluice.sink.LogCheckpoints;
import io.sluice.source.KinesisSource;
import io.sluice.table.RawRecordColumns;
import org.apache.spark.api.java.function.FlatMapGroupsWithStateFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.GroupState;
import org.apache.spark.sql.streaming.GroupStateTimeout;
import org.apache.spark.sql.streaming.OutputMode;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.TimeMode;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.timestamp_millis;
import static org.apache.spark.sql.functions.unhex;
import static org.apache.spark.sql.functions.unix_millis;
import static org.apache.spark.sql.functions.when;

/**
 * The streaming job as earlier Sluice versions ran it, in the checkpoint each wrote, for the migration test to start
 * from. Test code only.
 */
final class LegacyStreamingJob
{
    private static final String KEY_COLUMN = "_dedup_key";
    private static final String UNKEYED_PREFIX = "\u0000unkeyed:";
    private static final String WATERMARK_COLUMN = "_dedup_watermark_time";

    /** The earlier checkpoint layouts of the dedup state, oldest first. */
    enum Layout
    {
        /** {@code flatMapGroupsWithState}, keyed by the id string, state one long, processing-time timeout; in the query's directory. */
        FLAT_MAP_GROUPS_WITH_STATE,
        /** {@code transformWithState}, keyed by the id's 16 bytes, state one event-time timer per id; in {@code v2}. */
        TIMER_PER_ID;

        String checkpoint(Lake lake, String queryName)
        {
            return lake.layout().previousCheckpoints(queryName).get(this == TIMER_PER_ID ? 0 : 1);
        }
    }

    private LegacyStreamingJob() {}

    static StreamingQuery start(SparkSession spark, Lake lake, Layout layout, Consumer<BatchReport> listener, BatchActivity activity)
            throws Exception
    {
        SluiceConfig config = lake.config();
        lake.createOrEvolveTables(spark);
        Dataset<Row> enveloped = lake.enforcer().parse(KinesisSource.readStream(spark, config));
        Duration delay = config.value(ConfigKeys.STREAM_WATERMARK_DELAY);
        Dataset<Row> labelled = layout == Layout.TIMER_PER_ID ? labelByTimers(enveloped, delay) : label(enveloped, delay);
        Dataset<Row> routed = lake.enforcer().route(labelled, lit(null).cast(DataTypes.TimestampType));
        String queryName = config.value(ConfigKeys.STREAM_QUERY_NAME);
        MicroBatchProcessor processor = new MicroBatchProcessor(lake.enforcer(), lake.tables(), config.value(ConfigKeys.STREAM_LATE_POLICY), listener,
                Clock.systemUTC(), activity, Instant.now().minus(Duration.ofHours(1)), new LogCheckpoints(spark, 10));
        // Those versions encoded state as UnsafeRow (the only format flatMapGroupsWithState has); the checkpoint records it.
        String encoding = "spark.sql.streaming.stateStore.encodingFormat";
        String current = spark.conf().get(encoding);
        spark.conf().set(encoding, "unsaferow");
        try {
            return routed.writeStream()
                    .queryName(queryName)
                    .option("checkpointLocation", layout.checkpoint(lake, queryName))
                    .trigger(Trigger.ProcessingTime(config.value(ConfigKeys.STREAM_TRIGGER_INTERVAL).toMillis()))
                    .foreachBatch(processor)
                    .start();
        }
        finally {
            spark.conf().set(encoding, current);
        }
    }

    /** The {@code v2} labelling: the id's 16 bytes as the key, {@link PerIdTimerProcessor} as the operator. */
    private static Dataset<Row> labelByTimers(Dataset<Row> enveloped, Duration watermarkDelay)
    {
        Column id = col(EnvelopeColumns.EVENT_ID);
        Column keyed = id.isNotNull().and(col(EnvelopeColumns.EVENT_TIME).isNotNull());
        Dataset<Row> withKey = enveloped
                .withColumn(KEY_COLUMN, when(keyed, when(not(id.rlike("[A-F]")), unhex(regexp_replace(id, "-", ""))).otherwise(id.cast(DataTypes.BinaryType)))
                        .otherwise(col(RawRecordColumns.SEQUENCE_NUMBER).cast(DataTypes.BinaryType)))
                .withColumn(WATERMARK_COLUMN, timestamp_millis(unix_millis(col(EnvelopeColumns.EVENT_TIME))))
                .withWatermark(WATERMARK_COLUMN, watermarkDelay.toMillis() + " milliseconds")
                .drop(WATERMARK_COLUMN);
        StructType inputSchema = withKey.schema();
        StructType outputSchema = enveloped.schema().add(EventDeduplicator.STATUS_COLUMN, DataTypes.StringType, false);
        return withKey.groupBy(col(KEY_COLUMN))
                .as(Encoders.BINARY(), Encoders.row(inputSchema))
                .transformWithState(new PerIdTimerProcessor(inputSchema, enveloped.schema().size(), Long.MIN_VALUE), TimeMode.EventTime(),
                        OutputMode.Append(), Encoders.row(outputSchema));
    }

    private static Dataset<Row> label(Dataset<Row> enveloped, Duration watermarkDelay)
    {
        Column keyed = col(EnvelopeColumns.EVENT_ID).isNotNull().and(col(EnvelopeColumns.EVENT_TIME).isNotNull());
        Dataset<Row> withKey = enveloped
                .withColumn(KEY_COLUMN, when(keyed, col(EnvelopeColumns.EVENT_ID))
                        .otherwise(concat(lit(UNKEYED_PREFIX), coalesce(col(RawRecordColumns.STREAM_NAME), lit("")), lit(":"),
                                coalesce(col(RawRecordColumns.SEQUENCE_NUMBER), lit("")))))
                .withWatermark(EnvelopeColumns.EVENT_TIME, watermarkDelay.toMillis() + " milliseconds");
        StructType inputSchema = withKey.schema();
        StructType outputSchema = enveloped.schema().add(EventDeduplicator.STATUS_COLUMN, DataTypes.StringType, false);
        return withKey.groupBy(col(KEY_COLUMN))
                .as(Encoders.STRING(), Encoders.row(inputSchema))
                .flatMapGroupsWithState(new LabelFunction(inputSchema, enveloped.schema().size(), watermarkDelay.toMillis()),
                        OutputMode.Append(), Encoders.LONG(), Encoders.row(outputSchema), GroupStateTimeout.ProcessingTimeTimeout());
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
                return Collections.emptyIterator();
            }
            List<Row> group = new ArrayList<>();
            rows.forEachRemaining(group::add);
            if (key.startsWith(UNKEYED_PREFIX)) {
                return group.stream().map(row -> label(row, DedupStatus.UNKEYED)).iterator();
            }
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
