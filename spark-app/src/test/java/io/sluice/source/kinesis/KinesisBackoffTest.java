package io.sluice.source.kinesis;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class KinesisBackoffTest
{
    private final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5), 10);

    @Test
    void capDoublesUpToTheMaximum()
    {
        assertThat(backoff.cap(1)).isEqualTo(Duration.ofMillis(100));
        assertThat(backoff.cap(2)).isEqualTo(Duration.ofMillis(200));
        assertThat(backoff.cap(6)).isEqualTo(Duration.ofMillis(3200));
        assertThat(backoff.cap(7)).isEqualTo(Duration.ofSeconds(5));
        assertThat(backoff.cap(1000)).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void delaysStayBetweenHalfTheCapAndTheCap()
    {
        SplittableRandom random = new SplittableRandom(42);
        for (int retry = 1; retry <= 40; retry++) {
            Duration cap = backoff.cap(retry);
            for (int sample = 0; sample < 200; sample++) {
                assertThat(backoff.delay(retry, random)).isBetween(cap.dividedBy(2), cap);
            }
        }
    }

    @Test
    void delaysAreSpreadOut()
    {
        SplittableRandom random = new SplittableRandom(7);
        long distinct = java.util.stream.IntStream.range(0, 100).mapToObj(i -> backoff.delay(5, random)).distinct().count();
        assertThat(distinct).isGreaterThan(50);
    }

    @Test
    void rejectsInvalidBounds()
    {
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), 1)).hasMessage("Invalid initialDelay: PT0S");
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), 1)).hasMessage("Invalid maxDelay: PT1S is less than initialDelay PT2S");
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), -1)).hasMessage("Invalid maxRetries: -1");
    }
}
