package io.sluice.source.kinesis;

import io.sluice.config.UsageException;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** Where a query without a checkpoint starts reading the shards that exist when it starts. */
public record StartingPosition(Kind kind, Optional<Instant> timestamp)
{
    public enum Kind
    {
        LATEST, TRIM_HORIZON, AT_TIMESTAMP
    }

    public StartingPosition
    {
        requireNonNull(kind, "kind is null");
        requireNonNull(timestamp, "timestamp is null");
        if ((kind == Kind.AT_TIMESTAMP) != timestamp.isPresent()) {
            throw new IllegalArgumentException("Invalid starting position: %s with timestamp %s".formatted(kind, timestamp));
        }
    }

    public static StartingPosition latest()
    {
        return new StartingPosition(Kind.LATEST, Optional.empty());
    }

    public static StartingPosition trimHorizon()
    {
        return new StartingPosition(Kind.TRIM_HORIZON, Optional.empty());
    }

    public static StartingPosition atTimestamp(Instant timestamp)
    {
        return new StartingPosition(Kind.AT_TIMESTAMP, Optional.of(timestamp));
    }

    /**
     * Parses the {@code aws-kinesis} spellings: LATEST, TRIM_HORIZON, EARLIEST (= TRIM_HORIZON) and
     * {@code AT_TIMESTAMP <ISO-8601 instant>}; a bare AT_TIMESTAMP takes the instant from {@code separateTimestamp}.
     */
    static StartingPosition parse(String option, String value, Optional<String> separateTimestamp, String timestampOption)
    {
        String trimmed = value.trim();
        String upper = trimmed.toUpperCase(Locale.ROOT);
        switch (upper) {
            case "LATEST":
                return latest();
            case "TRIM_HORIZON":
            case "EARLIEST":
                return trimHorizon();
            default:
                break;
        }
        if (!upper.startsWith("AT_TIMESTAMP")) {
            throw new UsageException("Invalid %s: '%s'; expected LATEST, TRIM_HORIZON, EARLIEST or AT_TIMESTAMP <ISO-8601 time>"
                    .formatted(option, value));
        }
        String rest = trimmed.substring("AT_TIMESTAMP".length()).trim();
        if (rest.isEmpty()) {
            String timestamp = separateTimestamp.orElseThrow(() -> new UsageException(
                    "Invalid %s: '%s'; expected a time after AT_TIMESTAMP or option %s".formatted(option, value, timestampOption)));
            return atTimestamp(parseInstant(timestampOption, timestamp));
        }
        return atTimestamp(parseInstant(option, rest));
    }

    private static Instant parseInstant(String option, String text)
    {
        try {
            return OffsetDateTime.parse(text).toInstant();
        }
        catch (DateTimeParseException e) {
            try {
                return Instant.ofEpochMilli(Long.parseLong(text));
            }
            catch (NumberFormatException ignored) {
                throw new UsageException("Invalid %s: '%s'; expected an ISO-8601 time such as 2025-08-30T19:00:05Z or epoch milliseconds"
                        .formatted(option, text));
            }
        }
    }
}
