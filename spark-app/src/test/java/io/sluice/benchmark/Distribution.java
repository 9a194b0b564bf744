package io.sluice.benchmark;

import java.util.Arrays;

/**
 * Nearest-rank percentiles of a set of durations in milliseconds (p99 of 1,000 values is the 990th smallest).
 *
 * @param count how many values; the percentiles are 0 when there are none
 */
record Distribution(int count, long p50, long p95, long p99, long max)
{
    /** The first {@code count} values of {@code values}; sorts that part of the array. */
    static Distribution of(long[] values, int count)
    {
        if (count == 0) {
            return new Distribution(0, 0, 0, 0, 0);
        }
        Arrays.sort(values, 0, count);
        return new Distribution(count, rank(values, count, 0.50), rank(values, count, 0.95), rank(values, count, 0.99), values[count - 1]);
    }

    private static long rank(long[] sorted, int count, double fraction)
    {
        int rank = (int) Math.ceil(fraction * count);
        return sorted[Math.max(0, rank - 1)];
    }

    String line()
    {
        return "p50 %,7d ms   p95 %,7d ms   p99 %,7d ms   max %,7d ms".formatted(p50, p95, p99, max);
    }
}
