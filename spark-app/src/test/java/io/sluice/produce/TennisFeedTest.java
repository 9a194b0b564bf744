package io.sluice.produce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class TennisFeedTest
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant START = Instant.parse("2026-11-21T10:00:00Z");

    private static FeedOptions faulty(long seed)
    {
        return new FeedOptions(seed, 6, START, 1000, 0.10, 0.05, 0.03, Duration.ofMinutes(20), 0.06, 70_000);
    }

    @Test
    void sameSeedAndStartGiveTheSameBytes()
    {
        List<ProducedRecord> first = new TennisFeed(faulty(11)).take(2000);
        List<ProducedRecord> second = new TennisFeed(faulty(11)).take(2000);
        for (int i = 0; i < first.size(); i++) {
            assertThat(second.get(i).payload()).isEqualTo(first.get(i).payload());
            assertThat(second.get(i).kind()).isEqualTo(first.get(i).kind());
        }
        assertThat(new TennisFeed(faulty(12)).take(10).get(0).payload()).isNotEqualTo(first.get(0).payload());
    }

    @Test
    void faultsAppearAtRoughlyTheirFractions()
    {
        Map<RecordKind, Integer> counts = new EnumMap<>(RecordKind.class);
        new TennisFeed(faulty(5)).take(20_000).forEach(record -> counts.merge(record.kind(), 1, Integer::sum));
        assertThat(counts.get(RecordKind.DUPLICATE) / 20_000.0).isBetween(0.08, 0.12);
        assertThat(counts.get(RecordKind.OUT_OF_ORDER) / 20_000.0).isBetween(0.035, 0.065);
        assertThat(counts.get(RecordKind.LATE) / 20_000.0).isBetween(0.02, 0.04);
        int invalid = 0;
        for (RecordKind kind : RecordKind.values()) {
            if (kind.fate() == RecordKind.Fate.QUARANTINE) {
                assertThat(counts.get(kind)).as(kind.name()).isPositive();
                invalid += counts.get(kind);
            }
        }
        assertThat(invalid / 20_000.0).isBetween(0.045, 0.075);
    }

    @Test
    void validEventsAreCloudEventsWithTheirContract()
            throws IOException
    {
        Set<String> ids = new HashSet<>();
        Set<String> types = new HashSet<>();
        for (ProducedRecord record : new TennisFeed(FeedOptions.clean(3, START)).take(3000)) {
            assertThat(record.kind()).isEqualTo(RecordKind.VALID);
            JsonNode event = JSON.readTree(record.payload());
            assertThat(event.get("specversion").asText()).isEqualTo("1.0");
            assertThat(ids.add(event.get("id").asText())).as("ids are unique").isTrue();
            assertThat(event.get("id").asText()).isEqualTo(record.eventId().orElseThrow());
            assertThat(Instant.parse(event.get("time").asText())).isBetween(START, START.plusSeconds(3));
            assertThat(event.get("dataschema").asText()).matches("urn:sluice:contract:tennis\\.(serve|point|match):[12]");
            assertThat(event.get("subject").asText()).isEqualTo(record.partitionKey()).matches("M[0-9]{4}");
            assertThat(event.get("data").get("match_id").asText()).isEqualTo(record.partitionKey());
            types.add(event.get("type").asText());
        }
        assertThat(types).containsExactlyInAnyOrder(TennisEvents.SERVE_TYPE, TennisEvents.POINT_TYPE, TennisEvents.MATCH_TYPE);
    }

    @Test
    void duplicatesRepeatAnEarlierRecordExactly()
    {
        List<ProducedRecord> records = new TennisFeed(faulty(9)).take(5000);
        Map<String, byte[]> firstById = new java.util.HashMap<>();
        for (ProducedRecord record : records) {
            if (record.kind() == RecordKind.DUPLICATE) {
                assertThat(firstById.get(record.eventId().orElseThrow())).as("the original came first").isEqualTo(record.payload());
            }
            else {
                firstById.putIfAbsent(record.eventId().orElseThrow(), record.payload());
            }
        }
    }

    @Test
    void invalidOptionsAreRejected()
    {
        assertThatThrownBy(() -> new FeedOptions(1, 2, START, 1000, 0.6, 0.6, 0, Duration.ZERO, 0, 10))
                .hasMessage("Invalid fractions: duplicate + out-of-order + late + invalid must be at most 1");
        assertThatThrownBy(() -> new FeedOptions(1, 0, START, 1000, 0, 0, 0, Duration.ZERO, 0, 10))
                .hasMessage("Invalid match count: 0 (expected 1 to 9999)");
    }
}
