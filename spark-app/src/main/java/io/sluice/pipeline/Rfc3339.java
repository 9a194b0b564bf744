package io.sluice.pipeline;

import java.time.DateTimeException;
import java.time.LocalDate;

/**
 * RFC 3339 date-times and full-dates, read into Spark's internal values. Read by hand, field by field: Java's
 * {@code DateTimeFormatter} accepts forms RFC 3339 does not (a lower-case 't', no seconds) and builds hash maps of
 * fields for every value it parses, a fifth of the cost of reading a whole record.
 */
final class Rfc3339
{
    private static final long MICROS_PER_SECOND = 1_000_000L;
    private static final long SECONDS_PER_DAY = 86_400L;
    private static final int MAX_OFFSET_SECONDS = 18 * 3600;

    private Rfc3339() {}

    /**
     * Microseconds since the epoch (Spark's timestamp), truncated to the microsecond; null unless {@code text} is
     * {@code YYYY-MM-DDTHH:MM:SS[.fraction]} with 1 to 9 fraction digits and {@code Z} or {@code ±HH:MM}, a real
     * calendar date, hours to 23, minutes and seconds to 59 (no leap second) and an offset within ±18:00.
     */
    static Long timestampMicros(String text)
    {
        if (text == null || text.length() < 20 || text.charAt(10) != 'T' || text.charAt(13) != ':' || text.charAt(16) != ':') {
            return null;
        }
        Long epochDay = epochDay(text);
        int hour = number(text, 11, 2);
        int minute = number(text, 14, 2);
        int second = number(text, 17, 2);
        if (epochDay == null || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return null;
        }
        int end = text.length();
        int position = 19;
        long fractionMicros = 0;
        if (text.charAt(position) == '.') {
            int start = ++position;
            while (position < end && isDigit(text.charAt(position))) {
                position++;
            }
            int digits = position - start;
            if (digits < 1 || digits > 9) {
                return null;
            }
            // Digits beyond the sixth are truncated, as Spark truncates nanoseconds.
            for (int i = 0; i < 6; i++) {
                fractionMicros = fractionMicros * 10 + (i < digits ? text.charAt(start + i) - '0' : 0);
            }
        }
        if (position >= end) {
            return null;
        }
        char zone = text.charAt(position);
        int offsetSeconds;
        if (zone == 'Z') {
            if (position + 1 != end) {
                return null;
            }
            offsetSeconds = 0;
        }
        else if (zone == '+' || zone == '-') {
            if (position + 6 != end || text.charAt(position + 3) != ':') {
                return null;
            }
            int offsetHours = number(text, position + 1, 2);
            int offsetMinutes = number(text, position + 4, 2);
            if (offsetHours < 0 || offsetMinutes < 0 || offsetMinutes > 59 || offsetHours * 3600 + offsetMinutes * 60 > MAX_OFFSET_SECONDS) {
                return null;
            }
            offsetSeconds = (zone == '-' ? -1 : 1) * (offsetHours * 3600 + offsetMinutes * 60);
        }
        else {
            return null;
        }
        long seconds = epochDay * SECONDS_PER_DAY + hour * 3600L + minute * 60L + second - offsetSeconds;
        return seconds * MICROS_PER_SECOND + fractionMicros;
    }

    /** Days since the epoch (Spark's date); null unless {@code text} is exactly a real {@code YYYY-MM-DD}. */
    static Integer dateDays(String text)
    {
        if (text == null || text.length() != 10) {
            return null;
        }
        Long epochDay = epochDay(text);
        return epochDay == null ? null : Math.toIntExact(epochDay);
    }

    /** The date at the start of {@code text}, {@code YYYY-MM-DD}; null when it is not a real one. */
    private static Long epochDay(String text)
    {
        if (text.charAt(4) != '-' || text.charAt(7) != '-') {
            return null;
        }
        int year = number(text, 0, 4);
        int month = number(text, 5, 2);
        int day = number(text, 8, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31) {
            return null;
        }
        try {
            return LocalDate.of(year, month, day).toEpochDay();
        }
        catch (DateTimeException e) {
            // February 30th and the like.
            return null;
        }
    }

    /** The decimal number of {@code length} ASCII digits at {@code start}; -1 if any is not a digit. */
    private static int number(String text, int start, int length)
    {
        int value = 0;
        for (int i = start; i < start + length; i++) {
            char c = text.charAt(i);
            if (!isDigit(c)) {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static boolean isDigit(char c)
    {
        return c >= '0' && c <= '9';
    }
}
