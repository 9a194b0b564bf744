package io.sluice.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** A point in time on the command line: an RFC 3339 date-time ({@code 2026-11-20T06:00:00Z}) or a UTC date (its midnight). */
final class InstantConverter
        implements ITypeConverter<Instant>
{
    @Override
    public Instant convert(String value)
    {
        try {
            if (value.length() == 10) {
                return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            return OffsetDateTime.parse(value).toInstant();
        }
        catch (DateTimeParseException e) {
            throw new TypeConversionException("'%s' is not a date-time such as 2026-11-20T06:00:00Z or a UTC date such as 2026-11-20".formatted(value));
        }
    }
}
