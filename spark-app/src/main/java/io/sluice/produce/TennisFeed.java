package io.sluice.produce;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.UUID;

import static java.util.Objects.requireNonNull;

/**
 * An endless, deterministic live-tennis feed of CloudEvents 1.0 JSON records for several concurrent matches, with
 * the faults real producers make mixed in at the configured fractions: exact re-sends, out-of-order and late events,
 * and invalid records. Record {@code i}'s event time is {@code startTime + i / eventsPerSecond}.
 */
public final class TennisFeed
        implements Iterator<ProducedRecord>
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<RecordKind> INVALID_KINDS = List.of(RecordKind.MALFORMED_JSON, RecordKind.MISSING_REQUIRED_FIELD,
            RecordKind.WRONG_TYPE, RecordKind.UNKNOWN_TYPE, RecordKind.UNKNOWN_CONTRACT_VERSION, RecordKind.OVERSIZED);
    /** A re-send arrives this many records after the original, at most: close enough to be inside any sane watermark. */
    private static final int MAX_DUPLICATE_DISTANCE = 200;
    private static final Duration MAX_OUT_OF_ORDER = Duration.ofSeconds(30);

    private final FeedOptions options;
    private final Random random;
    private final List<MatchSimulator> matches = new ArrayList<>();
    private final PriorityQueue<Scheduled> resends = new PriorityQueue<>();
    private int nextMatchNumber = 1;
    private long index;

    private record Scheduled(long dueIndex, long order, ProducedRecord record)
            implements Comparable<Scheduled>
    {
        @Override
        public int compareTo(Scheduled other)
        {
            int byIndex = Long.compare(dueIndex, other.dueIndex);
            return byIndex != 0 ? byIndex : Long.compare(order, other.order);
        }
    }

    public TennisFeed(FeedOptions options)
    {
        this.options = requireNonNull(options, "options is null");
        this.random = new Random(options.seed());
        for (int i = 0; i < options.matches(); i++) {
            matches.add(new MatchSimulator(nextMatchNumber++, random, options.startTime()));
        }
    }

    @Override
    public boolean hasNext()
    {
        return true;
    }

    @Override
    public ProducedRecord next()
    {
        long current = index++;
        Scheduled due = resends.peek();
        if (due != null && due.dueIndex() <= current) {
            return resends.poll().record();
        }
        Instant time = clock(current);
        int slot = random.nextInt(matches.size());
        MatchSimulator match = matches.get(slot);
        EventDraft draft;
        if (match.finished()) {
            draft = match.completed();
            matches.set(slot, new MatchSimulator(nextMatchNumber++, random, time));
        }
        else {
            draft = match.next(random, time);
        }

        double roll = random.nextDouble();
        double invalidBelow = options.invalidFraction();
        double lateBelow = invalidBelow + options.lateFraction();
        double outOfOrderBelow = lateBelow + options.outOfOrderFraction();
        double duplicateBelow = outOfOrderBelow + options.duplicateFraction();
        if (roll < invalidBelow) {
            return invalid(draft, time);
        }
        if (roll < lateBelow) {
            return valid(draft, time.minus(options.lateBy()), RecordKind.LATE);
        }
        if (roll < outOfOrderBelow) {
            long backMillis = 1 + (long) (random.nextDouble() * MAX_OUT_OF_ORDER.toMillis());
            return valid(draft, time.minusMillis(backMillis), RecordKind.OUT_OF_ORDER);
        }
        ProducedRecord record = valid(draft, time, RecordKind.VALID);
        if (roll < duplicateBelow) {
            ProducedRecord copy = new ProducedRecord(record.partitionKey(), record.payload(), RecordKind.DUPLICATE,
                    record.eventId(), record.dataset());
            resends.add(new Scheduled(current + 1 + random.nextInt(MAX_DUPLICATE_DISTANCE), current, copy));
        }
        return record;
    }

    /** Generates the next {@code count} records into a list. */
    public List<ProducedRecord> take(int count)
    {
        List<ProducedRecord> records = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            records.add(next());
        }
        return records;
    }

    private Instant clock(long recordIndex)
    {
        long nanos = (long) (recordIndex * 1_000_000_000.0 / options.eventsPerSecond());
        return options.startTime().plusNanos(nanos).truncatedTo(ChronoUnit.MILLIS);
    }

    private ProducedRecord valid(EventDraft draft, Instant time, RecordKind kind)
    {
        String id = uuid();
        ObjectNode event = envelope(draft, id, time, TennisEvents.dataschema(draft.dataset(), draft.contractVersion()), draft.type());
        return new ProducedRecord(draft.subject(), bytes(event), kind, Optional.of(id), Optional.of(draft.dataset()));
    }

    private ProducedRecord invalid(EventDraft draft, Instant time)
    {
        RecordKind kind = INVALID_KINDS.get(random.nextInt(INVALID_KINDS.size()));
        String id = uuid();
        String dataschema = TennisEvents.dataschema(draft.dataset(), draft.contractVersion());
        ObjectNode event = envelope(draft, id, time, dataschema, draft.type());
        ObjectNode data = (ObjectNode) event.get("data");
        byte[] payload = switch (kind) {
            case MALFORMED_JSON -> {
                byte[] whole = bytes(event);
                int cut = 1 + random.nextInt(Math.min(40, whole.length - 1));
                yield java.util.Arrays.copyOf(whole, whole.length - cut);
            }
            case MISSING_REQUIRED_FIELD -> {
                data.remove("match_id");
                yield bytes(event);
            }
            case WRONG_TYPE -> {
                data.put("set_number", "three");
                yield bytes(event);
            }
            case UNKNOWN_TYPE -> {
                event.put("type", "io.sluice.tennis.umbrella.opened");
                yield bytes(event);
            }
            case UNKNOWN_CONTRACT_VERSION -> {
                event.put("dataschema", TennisEvents.dataschema(draft.dataset(), 99));
                yield bytes(event);
            }
            case OVERSIZED -> {
                // Padding in the subject keeps the record valid in every other way, so OVERSIZED is its only fault.
                event.put("subject", draft.subject() + " " + "x".repeat(options.oversizedBytes()));
                yield bytes(event);
            }
            default -> throw new IllegalStateException("Not an invalid kind: " + kind);
        };
        return new ProducedRecord(draft.subject(), payload, kind, Optional.of(id), Optional.of(draft.dataset()));
    }

    private static ObjectNode envelope(EventDraft draft, String id, Instant time, String dataschema, String type)
    {
        ObjectNode event = JsonNodeFactory.instance.objectNode();
        event.put("specversion", "1.0");
        event.put("id", id);
        event.put("source", draft.source());
        event.put("type", type);
        event.put("time", time.toString());
        event.put("dataschema", dataschema);
        event.put("subject", draft.subject());
        event.put("datacontenttype", "application/json");
        event.set("data", draft.data().deepCopy());
        return event;
    }

    private String uuid()
    {
        long most = (random.nextLong() & ~0xF000L) | 0x4000L;
        long least = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(most, least).toString();
    }

    private static byte[] bytes(ObjectNode event)
    {
        try {
            return JSON.writeValueAsString(event).getBytes(StandardCharsets.UTF_8);
        }
        catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialize a generated event", e);
        }
    }
}
