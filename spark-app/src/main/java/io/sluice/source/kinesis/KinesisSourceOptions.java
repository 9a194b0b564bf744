package io.sluice.source.kinesis;

import io.sluice.config.UsageException;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * The validated options of a {@code sluice-kinesis} read. Names follow the EMR-bundled {@code aws-kinesis}
 * connector where both have the option; every other {@code kinesis.*} name is rejected so a typo fails at
 * query start instead of being ignored.
 */
public record KinesisSourceOptions(
        String streamName,
        KinesisClientSettings clientSettings,
        StartingPosition startingPosition,
        int maxFetchRecordsPerShard,
        Duration maxFetchTimePerShard,
        Duration shardDiscoveryInterval,
        Backoff backoff,
        boolean deaggregate)
{
    public static final String STREAM_NAME = "kinesis.streamName";
    public static final String ENDPOINT_URL = "kinesis.endpointUrl";
    public static final String REGION = "kinesis.region";
    public static final String STARTING_POSITION = "kinesis.startingPosition";
    public static final String STARTING_TIMESTAMP = "kinesis.startingTimestamp";
    public static final String MAX_FETCH_RECORDS_PER_SHARD = "kinesis.maxFetchRecordsPerShard";
    public static final String MAX_FETCH_TIME_PER_SHARD_SEC = "kinesis.maxFetchTimePerShardSec";
    public static final String SHARD_DISCOVERY_INTERVAL_SEC = "kinesis.shardDiscoveryIntervalSec";
    public static final String ROLE_ARN = "kinesis.roleArn";
    public static final String ROLE_SESSION_NAME = "kinesis.roleSessionName";
    // aws-kinesis spells the role options this way; accepted so its option set works unchanged.
    public static final String STS_ROLE_ARN = "kinesis.stsRoleArn";
    public static final String STS_SESSION_NAME = "kinesis.stsSessionName";
    public static final String CONSUMER_TYPE = "kinesis.consumerType";
    public static final String MAX_RETRIES = "kinesis.maxRetries";
    public static final String RETRY_INITIAL_DELAY_MS = "kinesis.retryInitialDelayMs";
    public static final String RETRY_MAX_DELAY_MS = "kinesis.retryMaxDelayMs";
    public static final String API_CALL_TIMEOUT_SEC = "kinesis.apiCallTimeoutSec";
    public static final String DEAGGREGATE = "kinesis.deaggregate";
    /**
     * With {@link #CONTINUE_CHECKPOINT}: a new query starts where a batch of another query on the same stream stopped.
     * The batch's offset, as that query's offsets log holds it (see {@code KinesisMicroBatchStream#initialOffset}).
     */
    public static final String CONTINUE_OFFSET = "kinesis.continueOffset";
    /** With {@link #CONTINUE_OFFSET}: that query's checkpoint directory of this source (where its shard ends are). */
    public static final String CONTINUE_CHECKPOINT = "kinesis.continueCheckpoint";

    private static final Set<String> KNOWN = Set.of(
            STREAM_NAME, ENDPOINT_URL, REGION, STARTING_POSITION, STARTING_TIMESTAMP, MAX_FETCH_RECORDS_PER_SHARD,
            MAX_FETCH_TIME_PER_SHARD_SEC, SHARD_DISCOVERY_INTERVAL_SEC, ROLE_ARN, ROLE_SESSION_NAME, STS_ROLE_ARN,
            STS_SESSION_NAME, CONSUMER_TYPE, MAX_RETRIES, RETRY_INITIAL_DELAY_MS, RETRY_MAX_DELAY_MS, API_CALL_TIMEOUT_SEC,
            DEAGGREGATE, CONTINUE_OFFSET, CONTINUE_CHECKPOINT);

    private static final Pattern STREAM_NAME_PATTERN = Pattern.compile("[a-zA-Z0-9_.-]{1,128}");
    private static final Pattern REGION_IN_HOST = Pattern.compile("kinesis(?:-fips)?\\.([a-z0-9-]+)\\.amazonaws\\.com(?:\\.cn)?");

    public KinesisSourceOptions
    {
        requireNonNull(streamName, "streamName is null");
        requireNonNull(clientSettings, "clientSettings is null");
        requireNonNull(startingPosition, "startingPosition is null");
        requireNonNull(maxFetchTimePerShard, "maxFetchTimePerShard is null");
        requireNonNull(shardDiscoveryInterval, "shardDiscoveryInterval is null");
        requireNonNull(backoff, "backoff is null");
        if (maxFetchRecordsPerShard < 1) {
            throw new IllegalArgumentException("Invalid maxFetchRecordsPerShard: " + maxFetchRecordsPerShard);
        }
    }

    /** Parses Spark's options; keys are matched case-insensitively as Spark lower-cases them. */
    public static KinesisSourceOptions parse(Map<String, String> options)
    {
        requireNonNull(options, "options is null");
        Map<String, String> byKey = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        byKey.putAll(options);
        Map<String, String> known = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        KNOWN.forEach(name -> known.put(name, name));
        for (Map.Entry<String, String> entry : byKey.entrySet()) {
            if (entry.getKey().toLowerCase(Locale.ROOT).startsWith("kinesis.") && !known.containsKey(entry.getKey())) {
                throw new UsageException("Invalid option %s: '%s'; expected one of the known options %s"
                        .formatted(entry.getKey(), entry.getValue(), new TreeMap<>(known).keySet()));
            }
        }
        Values values = new Values(byKey);

        String streamName = values.string(STREAM_NAME).orElseThrow(() ->
                new UsageException("Invalid %s: missing; expected the name of the Kinesis stream to read".formatted(STREAM_NAME)));
        if (!STREAM_NAME_PATTERN.matcher(streamName).matches()) {
            throw new UsageException("Invalid %s: '%s'; expected 1 to 128 characters of a-z, A-Z, 0-9, _ . -".formatted(STREAM_NAME, streamName));
        }
        Optional<URI> endpoint = values.string(ENDPOINT_URL).map(KinesisSourceOptions::parseEndpoint);
        String region = values.string(REGION)
                .or(() -> endpoint.flatMap(KinesisSourceOptions::regionOf))
                .or(() -> Optional.ofNullable(System.getenv("AWS_REGION")).filter(text -> !text.isBlank()))
                .orElseThrow(() -> new UsageException(
                        "Invalid %s: missing; expected an AWS region such as us-east-1 (it cannot be inferred from %s or AWS_REGION)".formatted(REGION, ENDPOINT_URL)));
        Optional<String> roleArn = values.string(ROLE_ARN).or(() -> values.string(STS_ROLE_ARN));
        Optional<String> roleSessionName = values.string(ROLE_SESSION_NAME).or(() -> values.string(STS_SESSION_NAME));
        if (roleSessionName.isPresent() && roleArn.isEmpty()) {
            throw new UsageException("Invalid %s: '%s'; expected only together with %s".formatted(ROLE_SESSION_NAME, roleSessionName.get(), ROLE_ARN));
        }
        roleArn.ifPresent(arn -> {
            if (!arn.startsWith("arn:")) {
                throw new UsageException("Invalid %s: '%s'; expected an IAM role ARN such as arn:aws:iam::123456789012:role/reader".formatted(ROLE_ARN, arn));
            }
        });
        values.string(CONSUMER_TYPE).ifPresent(type -> {
            if (!type.equalsIgnoreCase("GetRecords")) {
                throw new UsageException("Invalid %s: '%s'; expected GetRecords (enhanced fan-out is not supported by sluice-kinesis)".formatted(CONSUMER_TYPE, type));
            }
        });

        StartingPosition startingPosition = values.string(STARTING_POSITION)
                .map(text -> StartingPosition.parse(STARTING_POSITION, text, values.string(STARTING_TIMESTAMP), STARTING_TIMESTAMP))
                .orElse(StartingPosition.latest());
        if (values.string(STARTING_TIMESTAMP).isPresent() && startingPosition.kind() != StartingPosition.Kind.AT_TIMESTAMP) {
            throw new UsageException("Invalid %s: '%s'; expected only with %s AT_TIMESTAMP".formatted(
                    STARTING_TIMESTAMP, values.string(STARTING_TIMESTAMP).get(), STARTING_POSITION));
        }

        int maxRecords = (int) values.longValue(MAX_FETCH_RECORDS_PER_SHARD, 100_000, 1, Integer.MAX_VALUE, "a record count");
        Duration maxTime = Duration.ofSeconds(values.longValue(MAX_FETCH_TIME_PER_SHARD_SEC, 10, 1, 3600, "seconds"));
        Duration discovery = Duration.ofSeconds(values.longValue(SHARD_DISCOVERY_INTERVAL_SEC, 1, 0, 86_400, "seconds"));
        int maxRetries = (int) values.longValue(MAX_RETRIES, 10, 0, 1000, "a retry count");
        long initialDelay = values.longValue(RETRY_INITIAL_DELAY_MS, 100, 1, 600_000, "milliseconds");
        long maxDelay = values.longValue(RETRY_MAX_DELAY_MS, 10_000, 1, 600_000, "milliseconds");
        if (maxDelay < initialDelay) {
            throw new UsageException("Invalid %s: '%d'; expected at least %s (%d)".formatted(RETRY_MAX_DELAY_MS, maxDelay, RETRY_INITIAL_DELAY_MS, initialDelay));
        }
        Duration apiCallTimeout = Duration.ofSeconds(values.longValue(API_CALL_TIMEOUT_SEC, 30, 1, 600, "seconds"));
        boolean deaggregate = values.bool(DEAGGREGATE, true);

        KinesisClientSettings settings = new KinesisClientSettings(region, endpoint, roleArn, roleSessionName, apiCallTimeout, 1);
        return new KinesisSourceOptions(streamName, settings, startingPosition, maxRecords, maxTime, discovery,
                new Backoff(Duration.ofMillis(initialDelay), Duration.ofMillis(maxDelay), maxRetries), deaggregate);
    }

    private static URI parseEndpoint(String text)
    {
        try {
            URI uri = new URI(text);
            if (uri.getScheme() == null || uri.getHost() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                throw new URISyntaxException(text, "not an absolute http(s) URL");
            }
            return uri;
        }
        catch (URISyntaxException e) {
            throw new UsageException("Invalid %s: '%s'; expected an http(s) URL such as https://kinesis.us-east-1.amazonaws.com".formatted(ENDPOINT_URL, text));
        }
    }

    private static Optional<String> regionOf(URI endpoint)
    {
        Matcher matcher = REGION_IN_HOST.matcher(endpoint.getHost());
        return matcher.matches() ? Optional.of(matcher.group(1)) : Optional.empty();
    }

    private record Values(Map<String, String> options)
    {
        Optional<String> string(String name)
        {
            return Optional.ofNullable(options.get(name)).map(String::trim).filter(text -> !text.isEmpty());
        }

        long longValue(String name, long defaultValue, long min, long max, String what)
        {
            Optional<String> text = string(name);
            if (text.isEmpty()) {
                return defaultValue;
            }
            try {
                long value = Long.parseLong(text.get());
                if (value >= min && value <= max) {
                    return value;
                }
            }
            catch (NumberFormatException ignored) {
                // reported below with the expected range
            }
            throw new UsageException("Invalid %s: '%s'; expected %s from %d to %d".formatted(name, text.get(), what, min, max));
        }

        boolean bool(String name, boolean defaultValue)
        {
            Optional<String> text = string(name);
            if (text.isEmpty()) {
                return defaultValue;
            }
            return switch (text.get().toLowerCase(Locale.ROOT)) {
                case "true" -> true;
                case "false" -> false;
                default -> throw new UsageException("Invalid %s: '%s'; expected true or false".formatted(name, text.get()));
            };
        }
    }
}
