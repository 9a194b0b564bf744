package io.sluice.pipeline;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.regex.Pattern;

/**
 * RFC 3339 date-times and full-dates, read into Spark's internal values. Java's ISO parsers alone also accept
 * forms RFC 3339 does not (a lower-case 't', a missing seconds field); the patterns narrow them to the RFC's.
 */
final class Rfc3339
{
    private static final Pattern DATE_TIME = Pattern.compile(
            "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})");
    private static final Pattern FULL_DATE = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");
    private static final long MICROS_PER_SECOND = 1_000_000L;

    private Rfc3339() {}

    /** Microseconds since the epoch (Spark's timestamp), truncated to the microsecond; null when not a date-time. */
    static Long timestampMicros(String text)
    {
        if (text == null || !DATE_TIME.matcher(text).matches()) {
            return null;
        }
        try {
            OffsetDateTime time = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            return Math.addExact(Math.multiplyExact(time.toEpochSecond(), MICROS_PER_SECOND), time.getNano() / 1_000L);
        }
        catch (DateTimeException | ArithmeticException e) {
            return null;
        }
    }

    /** Days since the epoch (Spark's date); null when not a full-date. */
    static Integer dateDays(String text)
    {
        if (text == null || !FULL_DATE.matcher(text).matches()) {
            return null;
        }
        try {
            return Math.toIntExact(LocalDate.parse(text, DateTimeFormatter.ISO_LOCAL_DATE).toEpochDay());
        }
        catch (DateTimeException | ArithmeticException e) {
            return null;
        }
    }
}
