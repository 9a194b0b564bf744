package io.sluice.pipeline;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;

import static org.assertj.core.api.Assertions.assertThat;

class Rfc3339Test
{
    @ParameterizedTest
    @ValueSource(strings = {"2026-06-29T13:05:12Z", "2026-06-29T13:05:12.5+02:00", "2026-06-29T23:30:00-02:00", "2024-02-29T00:00:00.123456789Z",
            "1969-12-31T23:59:59.999999Z", "0001-01-01T00:00:00Z", "2026-06-29T13:05:12.1-18:00", "2026-06-29T13:05:12+14:30"})
    void readsDateTimesAsJavaDoes(String text)
    {
        Instant expected = OffsetDateTime.parse(text).toInstant().truncatedTo(ChronoUnit.MICROS);
        long micros = Rfc3339.timestampMicros(text);

        assertThat(Instant.EPOCH.plus(micros, ChronoUnit.MICROS)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-06-29", "2026-06-29 13:05:12Z", "2026-06-29t13:05:12Z", "2026-06-29T13:05Z", "2026-06-29T13:05:12", "2026-06-29T13:05:12z",
            "2026-06-29T13:05:12.Z", "2026-06-29T13:05:12.1234567890Z", "2026-06-29T24:00:00Z", "2026-06-29T13:60:00Z", "2026-06-29T23:59:60Z",
            "2026-02-30T13:05:12Z", "2026-13-01T13:05:12Z", "2026-06-29T13:05:12+19:00", "2026-06-29T13:05:12+02:60", "2026-06-29T13:05:12+0200",
            "2026-06-29T13:05:12Z\n", "2026-06-29T13:05:12ZZ", "2026-06-2aT13:05:12Z", "+2026-06-29T13:05:12Z", "2026-06-29T1３:05:12Z"})
    void refusesWhatIsNotAnRfc3339DateTime(String text)
    {
        assertThat(Rfc3339.timestampMicros(text)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-06-29", "2024-02-29", "1970-01-01", "0001-01-01"})
    void readsFullDates(String text)
    {
        assertThat(Rfc3339.dateDays(text)).isEqualTo((int) LocalDate.parse(text).toEpochDay());
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-02-30", "2025-02-29", "2026-6-29", "2026-06-29Z", "20260629", "2026-00-10", "2026-06-00", "2026/06/29"})
    void refusesWhatIsNotAFullDate(String text)
    {
        assertThat(Rfc3339.dateDays(text)).isNull();
    }
}
