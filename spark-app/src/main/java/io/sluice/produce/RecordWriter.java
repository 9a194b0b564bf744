package io.sluice.produce;

import java.util.List;

/** Where produced records go: a Kinesis stream or a JSON-lines file. */
public interface RecordWriter
        extends AutoCloseable
{
    /** Writes the records durably before returning; retries what can be retried. */
    void write(List<ProducedRecord> records);

    @Override
    void close();
}
