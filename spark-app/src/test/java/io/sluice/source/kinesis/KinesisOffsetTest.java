package io.sluice.source.kinesis;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class KinesisOffsetTest
{
    @Test
    void roundTripsEveryKindOfPosition()
    {
        KinesisOffset offset = new KinesisOffset("events", Map.of(
                "shardId-000000000002", ShardPosition.trimHorizon(),
                "shardId-000000000000", ShardPosition.after("49590338271490256608559692538361571095921575989136588898").asFinished(),
                "shardId-000000000001", ShardPosition.atTimestamp(Instant.parse("2025-08-30T19:00:05.123Z"))));

        String json = offset.json();

        assertThat(json).isEqualTo("{\"version\":1,\"stream\":\"events\",\"shards\":{"
                + "\"shardId-000000000000\":{\"kind\":\"AFTER_SEQUENCE_NUMBER\",\"sequenceNumber\":\"49590338271490256608559692538361571095921575989136588898\",\"finished\":true},"
                + "\"shardId-000000000001\":{\"kind\":\"AT_TIMESTAMP\",\"timestampMillis\":1756580405123,\"finished\":false},"
                + "\"shardId-000000000002\":{\"kind\":\"TRIM_HORIZON\",\"finished\":false}}}");
        KinesisOffset parsed = KinesisOffset.fromJson(json);
        assertThat(parsed.shards()).isEqualTo(offset.shards());
        assertThat(parsed.streamName()).isEqualTo("events");
        assertThat(parsed).isEqualTo(offset);
    }

    @Test
    void rejectsUnknownVersionsAndMalformedJson()
    {
        assertThatThrownBy(() -> KinesisOffset.fromJson("{\"version\":2,\"stream\":\"s\",\"shards\":{}}"))
                .hasMessage("Invalid Kinesis offset version: 2 in {\"version\":2,\"stream\":\"s\",\"shards\":{}}; expected 1");
        assertThatThrownBy(() -> KinesisOffset.fromJson("{\"version\":1,\"stream\":\"s\"}"))
                .hasMessage("Invalid Kinesis offset: no shards object in {\"version\":1,\"stream\":\"s\"}");
        assertThatThrownBy(() -> KinesisOffset.fromJson("{\"version\":1,\"stream\":\"s\",\"shards\":{\"a\":{\"kind\":\"AFTER_SEQUENCE_NUMBER\",\"sequenceNumber\":\"12x\"}}}"))
                .hasMessage("Invalid sequence number: 12x");
        assertThatThrownBy(() -> KinesisOffset.fromJson("not json"))
                .hasMessageStartingWith("Invalid Kinesis offset: not json: ");
    }

    @Test
    void comparesSequenceNumbersNumerically()
    {
        assertThat(ShardPosition.compareSequenceNumbers("9", "10")).isNegative();
        assertThat(ShardPosition.compareSequenceNumbers("100", "99")).isPositive();
        assertThat(ShardPosition.compareSequenceNumbers("49590338271490256608559692538361571095921575989136588898",
                "49590338271490256608559692538361571095921575989136588898")).isZero();
    }
}
