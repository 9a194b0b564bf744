package io.sluice.source.kinesis;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class KinesisSourceOptionsTest
{
    @Test
    void appliesDefaults()
    {
        KinesisSourceOptions options = KinesisSourceOptions.parse(Map.of("kinesis.streamName", "events", "kinesis.region", "eu-west-1"));

        assertThat(options.streamName()).isEqualTo("events");
        assertThat(options.clientSettings().region()).isEqualTo("eu-west-1");
        assertThat(options.clientSettings().endpoint()).isEmpty();
        assertThat(options.startingPosition()).isEqualTo(StartingPosition.latest());
        assertThat(options.maxFetchRecordsPerShard()).isEqualTo(100_000);
        assertThat(options.maxFetchTimePerShard()).isEqualTo(Duration.ofSeconds(10));
        assertThat(options.shardDiscoveryInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(options.backoff()).isEqualTo(new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10), 10));
        assertThat(options.deaggregate()).isTrue();
    }

    @Test
    void readsEveryOptionCaseInsensitively()
    {
        Map<String, String> raw = new HashMap<>();
        raw.put("kinesis.streamname", "events");
        raw.put("KINESIS.ENDPOINTURL", "https://kinesis.eu-central-1.amazonaws.com");
        raw.put("kinesis.startingposition", "AT_TIMESTAMP 2025-08-30T19:00:05-08:00");
        raw.put("kinesis.maxFetchRecordsPerShard", "500");
        raw.put("kinesis.maxFetchTimePerShardSec", "20");
        raw.put("kinesis.shardDiscoveryIntervalSec", "0");
        raw.put("kinesis.stsRoleArn", "arn:aws:iam::123456789012:role/reader");
        raw.put("kinesis.stsSessionName", "sluice");
        raw.put("kinesis.consumerType", "GetRecords");
        raw.put("kinesis.maxRetries", "3");
        raw.put("kinesis.retryInitialDelayMs", "50");
        raw.put("kinesis.retryMaxDelayMs", "500");
        raw.put("kinesis.deaggregate", "false");
        raw.put("path", "ignored: not a kinesis option");

        KinesisSourceOptions options = KinesisSourceOptions.parse(raw);

        assertThat(options.clientSettings().region()).isEqualTo("eu-central-1");
        assertThat(options.clientSettings().endpoint()).contains(URI.create("https://kinesis.eu-central-1.amazonaws.com"));
        assertThat(options.clientSettings().roleArn()).contains("arn:aws:iam::123456789012:role/reader");
        assertThat(options.clientSettings().roleSessionName()).contains("sluice");
        assertThat(options.startingPosition()).isEqualTo(StartingPosition.atTimestamp(Instant.parse("2025-08-31T03:00:05Z")));
        assertThat(options.maxFetchRecordsPerShard()).isEqualTo(500);
        assertThat(options.maxFetchTimePerShard()).isEqualTo(Duration.ofSeconds(20));
        assertThat(options.shardDiscoveryInterval()).isZero();
        assertThat(options.backoff()).isEqualTo(new Backoff(Duration.ofMillis(50), Duration.ofMillis(500), 3));
        assertThat(options.deaggregate()).isFalse();
    }

    @Test
    void acceptsTheStartingPositionSpellings()
    {
        assertThat(position("TRIM_HORIZON", null)).isEqualTo(StartingPosition.trimHorizon());
        assertThat(position("earliest", null)).isEqualTo(StartingPosition.trimHorizon());
        assertThat(position("latest", null)).isEqualTo(StartingPosition.latest());
        assertThat(position("AT_TIMESTAMP", "2025-01-02T03:04:05Z")).isEqualTo(StartingPosition.atTimestamp(Instant.parse("2025-01-02T03:04:05Z")));
        assertThat(position("AT_TIMESTAMP", "1735787045000")).isEqualTo(StartingPosition.atTimestamp(Instant.parse("2025-01-02T03:04:05Z")));
    }

    @Test
    void rejectsBadValuesNamingOptionValueAndExpectation()
    {
        assertInvalid(Map.of("kinesis.region", "us-east-1"),
                "Invalid kinesis.streamName: missing; expected the name of the Kinesis stream to read");
        assertInvalid(Map.of("kinesis.streamName", "a b", "kinesis.region", "us-east-1"),
                "Invalid kinesis.streamName: 'a b'; expected 1 to 128 characters of a-z, A-Z, 0-9, _ . -");
        assertInvalid(Map.of("kinesis.streamName", "s", "kinesis.region", "us-east-1", "kinesis.startingPosition", "OLDEST"),
                "Invalid kinesis.startingPosition: 'OLDEST'; expected LATEST, TRIM_HORIZON, EARLIEST or AT_TIMESTAMP <ISO-8601 time>");
        assertInvalid(Map.of("kinesis.streamName", "s", "kinesis.region", "us-east-1", "kinesis.startingPosition", "AT_TIMESTAMP yesterday"),
                "Invalid kinesis.startingPosition: 'yesterday'; expected an ISO-8601 time such as 2025-08-30T19:00:05Z or epoch milliseconds");
        assertInvalid(Map.of("kinesis.streamName", "s", "kinesis.region", "us-east-1", "kinesis.startingPosition", "AT_TIMESTAMP"),
                "Invalid kinesis.startingPosition: 'AT_TIMESTAMP'; expected a time after AT_TIMESTAMP or option kinesis.startingTimestamp");
        assertInvalid(Map.of("kinesis.streamName", "s", "kinesis.region", "us-east-1", "kinesis.maxFetchRecordsPerShard", "0"),
                "Invalid kinesis.maxFetchRecordsPerShard: '0'; expected a record count from 1 to 2147483647");
        assertInvalid(Map.of("kinesis.streamName", "s", "kinesis.region", "us-east-1", "kinesis.maxFetchTimePerShardSec", "ten"),
                "Invalid kinesis.maxFetchTimePerShardSec: 'ten'; expected seconds from 1 to 3600");
        assertInvalid(Map.of("kinesis.streamName", "s", "kinesis.region", "us-east-1", "kinesis.endpointUrl", "localhost:4567"),
                "Invalid kinesis.endpointUrl: 'localhost:4567'; expected an http(s) URL such as https://kinesis.us-east-1.amazonaws.com");
        assertInvalid(Map.of("kinesis.streamName", "s", "kinesis.region", "us-east-1", "kinesis.consumerType", "SubscribeToShard"),
                "Invalid kinesis.consumerType: 'SubscribeToShard'; expected GetRecords (enhanced fan-out is not supported by sluice-kinesis)");
        assertInvalid(Map.of("kinesis.streamName", "s", "kinesis.region", "us-east-1", "kinesis.roleArn", "reader"),
                "Invalid kinesis.roleArn: 'reader'; expected an IAM role ARN such as arn:aws:iam::123456789012:role/reader");
        assertInvalid(Map.of("kinesis.streamName", "s", "kinesis.region", "us-east-1", "kinesis.deaggregate", "yes"),
                "Invalid kinesis.deaggregate: 'yes'; expected true or false");
        assertInvalid(Map.of("kinesis.streamName", "s", "kinesis.region", "us-east-1", "kinesis.retryInitialDelayMs", "500", "kinesis.retryMaxDelayMs", "100"),
                "Invalid kinesis.retryMaxDelayMs: '100'; expected at least kinesis.retryInitialDelayMs (500)");
        assertThatThrownBy(() -> KinesisSourceOptions.parse(Map.of("kinesis.streamName", "s", "kinesis.region", "us-east-1", "kinesis.maxFetchRecords", "5")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Invalid option kinesis.maxFetchRecords: '5'; expected one of the known options [kinesis.apiCallTimeoutSec, ");
    }

    private static StartingPosition position(String value, String timestamp)
    {
        Map<String, String> raw = new HashMap<>(Map.of("kinesis.streamName", "s", "kinesis.region", "us-east-1", "kinesis.startingPosition", value));
        Optional.ofNullable(timestamp).ifPresent(text -> raw.put("kinesis.startingTimestamp", text));
        return KinesisSourceOptions.parse(raw).startingPosition();
    }

    private static void assertInvalid(Map<String, String> raw, String message)
    {
        assertThatThrownBy(() -> KinesisSourceOptions.parse(raw))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }
}
