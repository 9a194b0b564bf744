package io.sluice.source.kinesis;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class KinesisOffsetTest
{
    @Test
    void roundTripsEveryKindOfPosition()
    {
        KinesisOffset offset = new KinesisOffset("events", 7, Set.of("shardId-000000000001"), Map.of(
                "shardId-000000000002", ShardPosition.trimHorizon(),
                "shardId-000000000000", ShardPosition.after("49590338271490256608559692538361571095921575989136588898").asFinished(),
                "shardId-000000000001", ShardPosition.atTimestamp(Instant.parse("2025-08-30T19:00:05.123Z"))));

        String json = offset.json();

        assertThat(json).isEqualTo("{\"version\":2,\"stream\":\"events\",\"batch\":7,\"read\":[\"shardId-000000000001\"],\"shards\":{"
                + "\"shardId-000000000000\":{\"kind\":\"AFTER_SEQUENCE_NUMBER\",\"sequenceNumber\":\"49590338271490256608559692538361571095921575989136588898\",\"finished\":true},"
                + "\"shardId-000000000001\":{\"kind\":\"AT_TIMESTAMP\",\"timestampMillis\":1756580405123,\"finished\":false},"
                + "\"shardId-000000000002\":{\"kind\":\"TRIM_HORIZON\",\"finished\":false}}}");
        KinesisOffset parsed = KinesisOffset.fromJson(json);
        assertThat(parsed.shards()).isEqualTo(offset.shards());
        assertThat(parsed.streamName()).isEqualTo("events");
        assertThat(parsed.batchId()).isEqualTo(7);
        assertThat(parsed.read()).containsExactly("shardId-000000000001");
        assertThat(parsed).isEqualTo(offset);
    }

    @Test
    void readsVersionOneOffsetsAsTheStartOfTheNextBatch()
    {
        // A version 1 offset held the end of a batch planned by reading ahead: the next batch starts there.
        KinesisOffset parsed = KinesisOffset.fromJson("{\"version\":1,\"stream\":\"events\",\"shards\":{"
                + "\"shardId-000000000000\":{\"kind\":\"AFTER_SEQUENCE_NUMBER\",\"sequenceNumber\":\"4959\",\"finished\":false}}}");
        assertThat(parsed.batchId()).isEqualTo(-1);
        assertThat(parsed.read()).isEmpty();
        assertThat(parsed.shards()).containsExactly(Map.entry("shardId-000000000000", ShardPosition.after("4959")));
    }

    @Test
    void rejectsUnknownVersionsAndMalformedJson()
    {
        assertThatThrownBy(() -> KinesisOffset.fromJson("{\"version\":3,\"stream\":\"s\",\"shards\":{}}"))
                .hasMessage("Invalid Kinesis offset version: 3 in {\"version\":3,\"stream\":\"s\",\"shards\":{}}; expected 2");
        assertThatThrownBy(() -> KinesisOffset.fromJson("{\"version\":1,\"stream\":\"s\"}"))
                .hasMessage("Invalid Kinesis offset: no shards object in {\"version\":1,\"stream\":\"s\"}");
        assertThatThrownBy(() -> KinesisOffset.fromJson("{\"version\":1,\"stream\":\"s\",\"shards\":{\"a\":{\"kind\":\"AFTER_SEQUENCE_NUMBER\",\"sequenceNumber\":\"12x\"}}}"))
                .hasMessage("Invalid sequence number: 12x");
        assertThatThrownBy(() -> KinesisOffset.fromJson("not json"))
                .hasMessageStartingWith("Invalid Kinesis offset: not json: ");
    }
}
