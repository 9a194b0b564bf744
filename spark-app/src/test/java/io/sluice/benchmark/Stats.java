package io.sluice.benchmark;

import java.util.Collection;
import java.util.List;

/** Order statistics over a run's or a round's figures. */
final class Stats
{
    private Stats() {}

    static double median(Collection<Double> values)
    {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = values.stream().sorted().toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    static double min(Collection<Double> values)
    {
        return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    static double max(Collection<Double> values)
    {
        return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }
}
