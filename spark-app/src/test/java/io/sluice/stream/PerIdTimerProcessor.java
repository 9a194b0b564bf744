package io.sluice.stream;

import io.sluice.pipeline.DedupStatus;
import io.sluice.pipeline.EnvelopeColumns;
import io.sluice.table.RawRecordColumns;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.streaming.ExpiredTimerInfo;
import org.apache.spark.sql.streaming.OutputMode;
import org.apache.spark.sql.streaming.StatefulProcessorWithInitialState;
import org.apache.spark.sql.streaming.TimeMode;
import org.apache.spark.sql.streaming.TimerValues;
import org.apache.spark.sql.types.StructType;
import scala.collection.Iterator;
import scala.jdk.javaapi.CollectionConverters;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * The dedup step of Sluice's second checkpoint layout ({@code v2}), kept as test code so that the migration test can
 * write such a checkpoint: the state of an id is one event-time timer at its first copy's event time plus one
 * millisecond, keyed by the id's 16 bytes.
 */
final class PerIdTimerProcessor
        extends StatefulProcessorWithInitialState<byte[], Row, Row, Row>
{
    private static final long serialVersionUID = 1L;

    private final int eventIdIndex;
    private final int eventTimeIndex;
    private final int arrivalIndex;
    private final int sequenceIndex;
    private final int outputWidth;
    private final long lateBeforeMillis;

    /**
     * @param inputSchema the rows' schema; the first {@code outputWidth} columns are kept, the status is added after them
     * @param lateBeforeMillis events older than this are LATE even when the watermark is lower
     */
    PerIdTimerProcessor(StructType inputSchema, int outputWidth, long lateBeforeMillis)
    {
        this.eventIdIndex = inputSchema.fieldIndex(EnvelopeColumns.EVENT_ID);
        this.eventTimeIndex = inputSchema.fieldIndex(EnvelopeColumns.EVENT_TIME);
        this.arrivalIndex = inputSchema.fieldIndex(RawRecordColumns.APPROXIMATE_ARRIVAL_TIMESTAMP);
        this.sequenceIndex = inputSchema.fieldIndex(RawRecordColumns.SEQUENCE_NUMBER);
        this.outputWidth = outputWidth;
        this.lateBeforeMillis = lateBeforeMillis;
    }

    @Override
    public void init(OutputMode outputMode, TimeMode timeMode)
    {
        // No state variables: the timers are the state.
    }

    @Override
    public Iterator<Row> handleInputRows(byte[] key, Iterator<Row> rows, TimerValues timerValues)
    {
        List<Row> keyed = new ArrayList<>();
        List<Row> labelled = new ArrayList<>();
        CollectionConverters.asJava(rows).forEachRemaining(row -> {
            if (row.isNullAt(eventIdIndex) || row.isNullAt(eventTimeIndex)) {
                labelled.add(label(row, DedupStatus.UNKEYED));
            }
            else {
                keyed.add(row);
            }
        });
        if (!keyed.isEmpty()) {
            // Copies of one id in one batch: the earliest arrival is the one that counts, the same on every re-run.
            keyed.sort(Comparator.comparing((Row row) -> (Timestamp) row.get(arrivalIndex), Comparator.nullsLast(Comparator.naturalOrder()))
                    .thenComparing(row -> String.valueOf(row.get(sequenceIndex))));
            int first = 0;
            if (!getHandle().listTimers().hasNext()) {
                long eventTime = ((Timestamp) keyed.get(0).get(eventTimeIndex)).getTime();
                boolean late = eventTime < Math.max(timerValues.getCurrentWatermarkInMs(), lateBeforeMillis);
                labelled.add(label(keyed.get(0), late ? DedupStatus.LATE : DedupStatus.NEW));
                if (!late) {
                    remember(eventTime);
                }
                first = 1;
            }
            for (int i = first; i < keyed.size(); i++) {
                labelled.add(label(keyed.get(i), DedupStatus.DUPLICATE));
            }
        }
        return CollectionConverters.asScala(labelled.iterator());
    }

    @Override
    public Iterator<Row> handleExpiredTimer(byte[] key, TimerValues timerValues, ExpiredTimerInfo expiredTimerInfo)
    {
        // Spark has deleted the timer, and with it the id: nothing to emit.
        return CollectionConverters.asScala(Collections.<Row>emptyIterator());
    }

    /** A seeded id (initial state: key and event time in milliseconds), remembered as if its first copy had just arrived. */
    @Override
    public void handleInitialState(byte[] key, Row seed, TimerValues timerValues)
    {
        long eventTime = seed.getLong(1);
        if (eventTime >= Math.max(timerValues.getCurrentWatermarkInMs(), lateBeforeMillis)) {
            remember(eventTime);
        }
    }

    /**
     * The timer fires once the watermark is past the event time (Spark expires timers at or below the watermark), so
     * a copy with exactly the watermark's time, which is not late, still finds the id.
     */
    private void remember(long eventTime)
    {
        getHandle().registerTimer(eventTime + 1);
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
