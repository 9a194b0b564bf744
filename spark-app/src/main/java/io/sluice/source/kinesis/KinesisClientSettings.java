package io.sluice.source.kinesis;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * How to reach Kinesis: region, an optional endpoint override (the local mock), an optional role to assume.
 *
 * @param maxSdkAttempts attempts the SDK makes per call; 1 when the caller retries itself (the source does)
 */
public record KinesisClientSettings(
        String region,
        Optional<URI> endpoint,
        Optional<String> roleArn,
        Optional<String> roleSessionName,
        Duration apiCallTimeout,
        int maxSdkAttempts)
{
    public static final String DEFAULT_ROLE_SESSION_NAME = "sluice-kinesis";

    public KinesisClientSettings
    {
        requireNonNull(region, "region is null");
        requireNonNull(endpoint, "endpoint is null");
        requireNonNull(roleArn, "roleArn is null");
        requireNonNull(roleSessionName, "roleSessionName is null");
        requireNonNull(apiCallTimeout, "apiCallTimeout is null");
        if (region.isBlank()) {
            throw new IllegalArgumentException("Invalid region: blank");
        }
        if (apiCallTimeout.isNegative() || apiCallTimeout.isZero()) {
            throw new IllegalArgumentException("Invalid apiCallTimeout: " + apiCallTimeout);
        }
        if (maxSdkAttempts < 1) {
            throw new IllegalArgumentException("Invalid maxSdkAttempts: " + maxSdkAttempts);
        }
    }

    /** Settings for a real region with the SDK's default retries. */
    public static KinesisClientSettings forRegion(String region)
    {
        return new KinesisClientSettings(region, Optional.empty(), Optional.empty(), Optional.empty(), Duration.ofSeconds(30), 3);
    }

    /** Settings for an endpoint override such as the local mock. */
    public static KinesisClientSettings forEndpoint(String region, URI endpoint)
    {
        return new KinesisClientSettings(region, Optional.of(endpoint), Optional.empty(), Optional.empty(), Duration.ofSeconds(30), 3);
    }

    public KinesisClientSettings withMaxSdkAttempts(int attempts)
    {
        return new KinesisClientSettings(region, endpoint, roleArn, roleSessionName, apiCallTimeout, attempts);
    }

    public KinesisClientSettings withRole(String arn, String sessionName)
    {
        return new KinesisClientSettings(region, endpoint, Optional.of(arn), Optional.of(sessionName), apiCallTimeout, maxSdkAttempts);
    }
}
