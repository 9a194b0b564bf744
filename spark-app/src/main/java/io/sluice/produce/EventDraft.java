package io.sluice.produce;

import com.fasterxml.jackson.databind.node.ObjectNode;

import static java.util.Objects.requireNonNull;

/** An event before it gets its id and time: which contract it follows, who sends it, and its data. */
record EventDraft(String dataset, int contractVersion, String type, String source, String subject, ObjectNode data)
{
    EventDraft
    {
        requireNonNull(dataset, "dataset is null");
        requireNonNull(type, "type is null");
        requireNonNull(source, "source is null");
        requireNonNull(subject, "subject is null");
        requireNonNull(data, "data is null");
    }
}
