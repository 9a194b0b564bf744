package io.sluice.pipeline;

import io.sluice.table.RawRecordColumns;

import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.streaming.ExpiredTimerInfo;
import org.apache.spark.sql.streaming.MapState;
import org.apache.spark.sql.streaming.OutputMode;
import org.apache.spark.sql.streaming.StatefulProcessorWithInitialState;
import org.apache.spark.sql.streaming.TTLConfig;
import org.apache.spark.sql.streaming.TimeMode;
import org.apache.spark.sql.streaming.TimerValues;
import org.apache.spark.sql.types.StructType;
import scala.Tuple2;
import scala.collection.Iterator;
import scala.jdk.javaapi.CollectionConverters;

import java.nio.ByteBuffer;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The per-slot step of {@link EventDeduplicator}: labels the rows of one id slot in one micro-batch.
 *
 * <p>The state of a slot is one map entry per id seen inside the window (the id's key, its first copy's event time)
 * and one event-time timer for the whole slot. An entry per id, not a timer per id: Spark stores a timer as two
 * entries (by key and by time), so an id would cost two. The slot's timer is set on a grid of {@code sweepInterval}
 * (shifted per slot, so slots fall due at different watermarks) at or after the oldest id's expiry; when it fires, the
 * slot drops the ids the watermark has passed and sets the timer again. An id is therefore forgotten in the first sweep
 * after the watermark passes its event time, at most one sweep interval later than a timer of its own would, and each
 * id is looked at by about {@code window / sweepInterval} sweeps in its life: the work per batch follows the batch, not
 * the state.
 *
 * <p>A first copy that is already late is not remembered: the late path checks it against silver, and so it will
 * every later copy.
 */
final class FirstCopyProcessor
        extends StatefulProcessorWithInitialState<Integer, Row, Row, Row>
{
    private static final long serialVersionUID = 1L;
    static final String IDS_STATE = "ids";

    private final int keyIndex;
    private final int eventIdIndex;
    private final int eventTimeIndex;
    private final int arrivalIndex;
    private final int sequenceIndex;
    private final int outputWidth;
    private final long lateBeforeMillis;
    private final int slots;
    private final long sweepIntervalMillis;
    private transient MapState<byte[], Long> ids;

    /**
     * @param inputSchema the rows' schema; the first {@code outputWidth} columns are kept, the status is added after them
     * @param lateBeforeMillis events older than this are LATE even when the watermark is lower
     * @param slots how many slots the ids are spread over (the grouping key is below this)
     * @param sweepIntervalMillis the spacing of a slot's sweeps, in event time
     */
    FirstCopyProcessor(StructType inputSchema, int outputWidth, long lateBeforeMillis, int slots, long sweepIntervalMillis)
    {
        if (slots <= 0 || sweepIntervalMillis <= 0) {
            throw new IllegalArgumentException("slots and sweepIntervalMillis must be positive: " + slots + ", " + sweepIntervalMillis);
        }
        this.keyIndex = inputSchema.fieldIndex(EventDeduplicator.KEY_COLUMN);
        this.eventIdIndex = inputSchema.fieldIndex(EnvelopeColumns.EVENT_ID);
        this.eventTimeIndex = inputSchema.fieldIndex(EnvelopeColumns.EVENT_TIME);
        this.arrivalIndex = inputSchema.fieldIndex(RawRecordColumns.APPROXIMATE_ARRIVAL_TIMESTAMP);
        this.sequenceIndex = inputSchema.fieldIndex(RawRecordColumns.SEQUENCE_NUMBER);
        this.outputWidth = outputWidth;
        this.lateBeforeMillis = lateBeforeMillis;
        this.slots = slots;
        this.sweepIntervalMillis = sweepIntervalMillis;
    }

    @Override
    public void init(OutputMode outputMode, TimeMode timeMode)
    {
        ids = getHandle().getMapState(IDS_STATE, Encoders.BINARY(), Encoders.LONG(), TTLConfig.NONE());
    }

    @Override
    public Iterator<Row> handleInputRows(Integer slot, Iterator<Row> rows, TimerValues timerValues)
    {
        List<Row> labelled = new ArrayList<>();
        Map<ByteBuffer, List<Row>> copies = new HashMap<>();
        CollectionConverters.asJava(rows).forEachRemaining(row -> {
            if (row.isNullAt(eventIdIndex) || row.isNullAt(eventTimeIndex)) {
                labelled.add(label(row, DedupStatus.UNKEYED));
            }
            else {
                copies.computeIfAbsent(ByteBuffer.wrap((byte[]) row.get(keyIndex)), key -> new ArrayList<>(1)).add(row);
            }
        });
        long lateBefore = Math.max(timerValues.getCurrentWatermarkInMs(), lateBeforeMillis);
        long oldestRemembered = Long.MAX_VALUE;
        for (Map.Entry<ByteBuffer, List<Row>> id : copies.entrySet()) {
            List<Row> keyed = id.getValue();
            if (keyed.size() > 1) {
                // Copies of one id in one batch: the earliest arrival is the one that counts, the same on every re-run.
                keyed.sort(Comparator.comparing((Row row) -> (Timestamp) row.get(arrivalIndex), Comparator.nullsLast(Comparator.naturalOrder()))
                        .thenComparing(row -> String.valueOf(row.get(sequenceIndex))));
            }
            byte[] key = id.getKey().array();
            int first = 0;
            if (!ids.containsKey(key)) {
                long eventTime = ((Timestamp) keyed.get(0).get(eventTimeIndex)).getTime();
                boolean late = eventTime < lateBefore;
                labelled.add(label(keyed.get(0), late ? DedupStatus.LATE : DedupStatus.NEW));
                if (!late) {
                    ids.updateValue(key, eventTime);
                    oldestRemembered = Math.min(oldestRemembered, eventTime);
                }
                first = 1;
            }
            for (int i = first; i < keyed.size(); i++) {
                labelled.add(label(keyed.get(i), DedupStatus.DUPLICATE));
            }
        }
        if (oldestRemembered != Long.MAX_VALUE) {
            sweepBy(slot, oldestRemembered);
        }
        return CollectionConverters.asScala(labelled.iterator());
    }

    /** The slot's sweep: forgets the ids the watermark has passed, and sets the next sweep for the oldest left. */
    @Override
    public Iterator<Row> handleExpiredTimer(Integer slot, TimerValues timerValues, ExpiredTimerInfo expiredTimerInfo)
    {
        long watermark = timerValues.getCurrentWatermarkInMs();
        List<byte[]> passed = new ArrayList<>();
        long oldestLeft = Long.MAX_VALUE;
        Iterator<Tuple2<byte[], Long>> entries = ids.iterator();
        while (entries.hasNext()) {
            Tuple2<byte[], Long> entry = entries.next();
            // The same bound a timer of the id's own would have: it fires once the watermark is past the event time,
            // so a copy with exactly the watermark's time, which is not late, still finds the id.
            if (entry._2() < watermark) {
                passed.add(entry._1());
            }
            else {
                oldestLeft = Math.min(oldestLeft, entry._2());
            }
        }
        passed.forEach(ids::removeKey);
        if (oldestLeft != Long.MAX_VALUE) {
            getHandle().registerTimer(sweepTime(slot, oldestLeft));
        }
        return CollectionConverters.asScala(Collections.<Row>emptyIterator());
    }

    /** A seeded id (initial state: key and event time in milliseconds), remembered as if its first copy had just arrived. */
    @Override
    public void handleInitialState(Integer slot, Row seed, TimerValues timerValues)
    {
        byte[] key = (byte[]) seed.get(0);
        long eventTime = seed.getLong(1);
        if (eventTime >= Math.max(timerValues.getCurrentWatermarkInMs(), lateBeforeMillis)) {
            ids.updateValue(key, eventTime);
            sweepBy(slot, eventTime);
        }
    }

    /** Makes the slot's one timer fall due no later than the sweep that would forget an id of this event time. */
    private void sweepBy(int slot, long eventTime)
    {
        long wanted = sweepTime(slot, eventTime);
        Iterator<Object> timers = getHandle().listTimers();
        if (timers.hasNext()) {
            long current = (Long) timers.next();
            if (current <= wanted) {
                return;
            }
            getHandle().deleteTimer(current);
        }
        getHandle().registerTimer(wanted);
    }

    /**
     * The first point of the slot's grid after {@code eventTime}: the grid is every {@code sweepInterval}, shifted by
     * the slot's share of it, so that the slots of one partition do not all sweep in the same batch.
     */
    private long sweepTime(int slot, long eventTime)
    {
        long offset = sweepIntervalMillis * slot / slots;
        return offset + Math.floorDiv(eventTime - offset, sweepIntervalMillis) * sweepIntervalMillis + sweepIntervalMillis;
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
