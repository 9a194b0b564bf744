package io.sluice.benchmark;

import io.sluice.produce.ProducedRecord;
import io.sluice.produce.RecordKind;
import io.sluice.produce.RecordWriter;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static java.util.Objects.requireNonNull;

/**
 * A {@link RecordWriter} that passes records on and notes, per valid event id, the wall-clock time its PutRecords
 * call returned: the start of that event's freshness. A re-send keeps the first copy's time (the copy dedup keeps).
 * Several producers may share one log. {@link #stop()} makes the next write fail, which ends a {@code Producer}'s run.
 */
final class PutLog
        implements RecordWriter
{
    private final RecordWriter delegate;
    private final Map<String, Long> putMillis;
    private final AtomicLong sent;
    private final AtomicBoolean stopped;

    private PutLog(RecordWriter delegate, Map<String, Long> putMillis, AtomicLong sent, AtomicBoolean stopped)
    {
        this.delegate = requireNonNull(delegate, "delegate is null");
        this.putMillis = requireNonNull(putMillis, "putMillis is null");
        this.sent = requireNonNull(sent, "sent is null");
        this.stopped = requireNonNull(stopped, "stopped is null");
    }

    PutLog(RecordWriter delegate)
    {
        this(delegate, new ConcurrentHashMap<>(), new AtomicLong(), new AtomicBoolean());
    }

    /** A log over another writer that records into this one's table, for a second producer thread. */
    PutLog sharing(RecordWriter other)
    {
        return new PutLog(other, putMillis, sent, stopped);
    }

    /** Thrown by a write after {@link #stop()}; the producer's run ends with it. */
    static final class Stopped
            extends RuntimeException
    {
        Stopped()
        {
            super("the benchmark stopped producing");
        }
    }

    @Override
    public void write(List<ProducedRecord> records)
    {
        if (stopped.get()) {
            throw new Stopped();
        }
        delegate.write(records);
        long now = System.currentTimeMillis();
        for (ProducedRecord record : records) {
            if (record.kind().fate() == RecordKind.Fate.SILVER) {
                putMillis.putIfAbsent(record.eventId().orElseThrow(), now);
            }
        }
        sent.addAndGet(records.size());
    }

    void stop()
    {
        stopped.set(true);
    }

    /** Records written, of every kind. */
    long sent()
    {
        return sent.get();
    }

    /** Valid event id to the time its PutRecords returned, in epoch milliseconds; a live view. */
    Map<String, Long> putMillis()
    {
        return putMillis;
    }

    @Override
    public void close()
    {
        delegate.close();
    }
}
