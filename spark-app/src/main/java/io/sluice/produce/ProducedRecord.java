package io.sluice.produce;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** One record as the generator sends it: the Kinesis partition key, the exact payload bytes, and what it was meant to be. */
public record ProducedRecord(String partitionKey, byte[] payload, RecordKind kind, Optional<String> eventId, Optional<String> dataset)
{
    public ProducedRecord
    {
        requireNonNull(partitionKey, "partitionKey is null");
        requireNonNull(payload, "payload is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(eventId, "eventId is null");
        requireNonNull(dataset, "dataset is null");
    }
}
