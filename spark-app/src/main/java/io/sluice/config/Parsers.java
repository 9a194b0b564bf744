package io.sluice.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** The value parsers configuration keys are built from. Each failure message says what is expected. */
final class Parsers
{
    private Parsers() {}

    static Function<String, String> string()
    {
        return value -> value;
    }

    static Function<String, String> nonEmptyString()
    {
        return value -> {
            if (value.isBlank()) {
                throw new IllegalArgumentException("a non-empty string");
            }
            return value;
        };
    }

    static Function<String, Boolean> bool()
    {
        return value -> switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("true or false");
        };
    }

    static Function<String, Integer> intInRange(int min, int max)
    {
        String expected = "an integer between %d and %d".formatted(min, max);
        return value -> {
            int parsed;
            try {
                parsed = Integer.parseInt(value.trim());
            }
            catch (NumberFormatException e) {
                throw new IllegalArgumentException(expected);
            }
            if (parsed < min || parsed > max) {
                throw new IllegalArgumentException(expected);
            }
            return parsed;
        };
    }

    /** Durations as HOCON writes them: {@code 500ms}, {@code 10s}, {@code 5m}, {@code 1h}, {@code 2d}. */
    static Function<String, Duration> duration(Duration min)
    {
        String expected = "a duration such as 500ms, 10s, 5m or 1h, at least " + DurationFormat.format(min);
        return value -> {
            Duration parsed = DurationFormat.parse(value).orElseThrow(() -> new IllegalArgumentException(expected));
            if (parsed.compareTo(min) < 0) {
                throw new IllegalArgumentException(expected);
            }
            return parsed;
        };
    }

    static <E extends Enum<E>> Function<String, E> oneOf(Class<E> type, Function<E, String> spelling)
    {
        String expected = "one of " + Arrays.stream(type.getEnumConstants()).map(spelling).collect(Collectors.joining(", "));
        return value -> Arrays.stream(type.getEnumConstants())
                .filter(constant -> spelling.apply(constant).equalsIgnoreCase(value.trim()))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(expected));
    }

    /** An http(s) URI, or empty for "not set". */
    static Function<String, String> optionalHttpUri()
    {
        return value -> {
            if (value.isBlank()) {
                return "";
            }
            try {
                URI uri = new URI(value.trim());
                if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                    throw new IllegalArgumentException("an http:// or https:// URL, or empty for the AWS default endpoint");
                }
                return uri.toString();
            }
            catch (URISyntaxException e) {
                throw new IllegalArgumentException("an http:// or https:// URL, or empty for the AWS default endpoint");
            }
        };
    }

    /** A local path or a URI with a scheme Hadoop can write Delta tables to. */
    static Function<String, String> storageLocation()
    {
        return value -> {
            String trimmed = value.trim();
            if (trimmed.isEmpty()) {
                throw new IllegalArgumentException("a local directory or an s3://, s3a:// or file:// URI");
            }
            int colon = trimmed.indexOf("://");
            if (colon > 0) {
                String scheme = trimmed.substring(0, colon);
                if (!scheme.equals("s3a") && !scheme.equals("file") && !scheme.equals("s3")) {
                    throw new IllegalArgumentException("a local directory or an s3://, s3a:// or file:// URI");
                }
            }
            return trimmed;
        };
    }

    /** A value that matches {@code pattern} as a whole; {@code expected} says in words what that is. */
    static Function<String, String> matching(String pattern, String expected)
    {
        Pattern compiled = Pattern.compile(pattern);
        return value -> {
            if (!compiled.matcher(value).matches()) {
                throw new IllegalArgumentException(expected);
            }
            return value;
        };
    }

    static Function<String, String> identifier()
    {
        return value -> {
            if (!value.matches("[a-z][a-z0-9_]{0,127}")) {
                throw new IllegalArgumentException("a lower-case table name: letters, digits and underscores, starting with a letter");
            }
            return value;
        };
    }
}
