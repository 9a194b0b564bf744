package io.sluice.benchmark;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import static java.util.Objects.requireNonNull;

/** The pipeline benchmark's summary over its rounds, ending with the RESULT line. */
final class PipelineReport
{
    private static final List<String> CONTENDERS = List.of("bare", "handwritten", "sluice");
    private static final int RESULT_BATCH_SIZE = 50_000;

    private final PipelineBenchmark.Options options;
    private final Map<Integer, List<Map<String, RunFigures>>> bySize;
    private final List<Map<String, RunFigures>> tinyRounds;

    PipelineReport(PipelineBenchmark.Options options, Map<Integer, List<Map<String, RunFigures>>> bySize, List<Map<String, RunFigures>> tinyRounds)
    {
        this.options = requireNonNull(options, "options is null");
        this.bySize = Map.copyOf(requireNonNull(bySize, "bySize is null"));
        this.tinyRounds = List.copyOf(requireNonNull(tinyRounds, "tinyRounds is null"));
    }

    void print()
    {
        for (int size : options.batchSizes()) {
            List<Map<String, RunFigures>> rounds = bySize.get(size);
            System.out.printf("%n== %,d-record micro-batches: %d rounds of %d batches, steady state = batches 3..%d, local[%d] ==%n",
                    size, rounds.size(), options.batches(), options.batches(), options.cores());
            System.out.printf("%-12s %26s %12s %26s%n", "contender", "records/s median (min-max)", "per core", "steady batch ms (min-max)");
            for (String contender : CONTENDERS) {
                List<Double> rates = values(rounds, contender, RunFigures::recordsPerSecond);
                List<Double> batch = values(rounds, contender, figures -> figures.batchMs());
                System.out.printf("%-12s %,10.0f (%,6.0f-%,6.0f) %,12.0f %,10.0f (%,6.0f-%,6.0f)%n", contender,
                        Stats.median(rates), Stats.min(rates), Stats.max(rates), Stats.median(rates) / options.cores(),
                        Stats.median(batch), Stats.min(batch), Stats.max(batch));
            }
            List<Double> versusHandwritten = ratios(rounds, "handwritten");
            List<Double> versusBare = ratios(rounds, "bare");
            System.out.printf("sluice / handwritten: median %.2f (min %.2f, max %.2f); per round %s%n",
                    Stats.median(versusHandwritten), Stats.min(versusHandwritten), Stats.max(versusHandwritten), formatted(versusHandwritten));
            System.out.printf("sluice / bare:        median %.2f (min %.2f, max %.2f); per round %s%n",
                    Stats.median(versusBare), Stats.min(versusBare), Stats.max(versusBare), formatted(versusBare));
            printBreakdown("per steady batch, median over rounds", rounds);
            printJobKinds(rounds);
            List<Double> ids = stateValues(rounds, state -> state.ids());
            if (!ids.isEmpty()) {
                System.out.printf("dedup state after the last batch (median over rounds): %,.0f ids, %.0f B/id in memory (RocksDB memoryUsedBytes), "
                                + "%.0f B/id in SST files (rocksdbSstFileSize), %.0f B/id in the checkpoint's state files%n",
                        Stats.median(ids), Stats.median(stateValues(rounds, RunFigures.StateFigures::memoryBytesPerId)),
                        Stats.median(stateValues(rounds, state -> state.ids() == 0 ? 0 : state.sstBytes() / (double) state.ids())),
                        Stats.median(stateValues(rounds, RunFigures.StateFigures::checkpointBytesPerId)));
            }
        }

        System.out.printf("%n== fixed cost: 1-record micro-batches, %d rounds of %d batches, steady state = batches 3..%d ==%n",
                tinyRounds.size(), options.tinyBatches(), options.tinyBatches());
        for (String contender : CONTENDERS) {
            List<Double> batch = values(tinyRounds, contender, figures -> figures.batchMs());
            System.out.printf("%-12s %,8.0f ms per batch (min %,.0f, max %,.0f)%n", contender, Stats.median(batch), Stats.min(batch), Stats.max(batch));
        }
        printBreakdown("per 1-record batch, median over rounds", tinyRounds);

        int resultSize = bySize.containsKey(RESULT_BATCH_SIZE) ? RESULT_BATCH_SIZE : options.batchSizes().get(0);
        List<Map<String, RunFigures>> rounds = bySize.get(resultSize);
        System.out.printf("%nRESULT pipeline sluice_vs_handwritten=%.2f sluice_vs_bare=%.2f batch50k_ms=%d fixed_ms=%d state_bytes_per_id=%d%n",
                Stats.median(ratios(rounds, "handwritten")),
                Stats.median(ratios(rounds, "bare")),
                Math.round(Stats.median(values(rounds, "sluice", figures -> figures.batchMs()))),
                Math.round(Stats.median(values(tinyRounds, "sluice", figures -> figures.batchMs()))),
                Math.round(Stats.median(stateValues(rounds, RunFigures.StateFigures::memoryBytesPerId))));
    }

    private static void printBreakdown(String title, List<Map<String, RunFigures>> rounds)
    {
        System.out.printf("breakdown (ms %s):%n%-12s", title, "contender");
        RunFigures.DURATION_KEYS.forEach(key -> System.out.printf(" %16s", key));
        System.out.printf(" %6s %10s %8s%n", "jobs", "log replay", "commits");
        for (String contender : CONTENDERS) {
            System.out.printf("%-12s", contender);
            for (String key : RunFigures.DURATION_KEYS) {
                System.out.printf(" %,16.0f", Stats.median(values(rounds, contender, figures -> figures.durationsMs().getOrDefault(key, 0L))));
            }
            System.out.printf(" %6.1f %10.1f %8.1f%n",
                    Stats.median(values(rounds, contender, RunFigures::jobsPerBatch)),
                    Stats.median(values(rounds, contender, RunFigures::logReplayJobsPerBatch)),
                    Stats.median(values(rounds, contender, RunFigures::commitsPerBatch)));
        }
    }

    /** Which Spark jobs a steady Sluice batch starts, by description: where the jobs of the breakdown come from. */
    private static void printJobKinds(List<Map<String, RunFigures>> rounds)
    {
        Map<String, Double> kinds = rounds.get(0).get("sluice").jobKinds();
        System.out.println("sluice's Spark jobs per steady batch by description (round 1):");
        kinds.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()))
                .limit(15)
                .forEach(entry -> System.out.printf("  %5.1f  %s%n", entry.getValue(), abbreviated(entry.getKey())));
    }

    private static String abbreviated(String text)
    {
        String line = text.replace('\n', ' ');
        return line.length() <= 140 ? line : line.substring(0, 137) + "...";
    }

    private static List<Double> values(List<Map<String, RunFigures>> rounds, String contender, ToDoubleFunction<RunFigures> value)
    {
        return rounds.stream().map(round -> value.applyAsDouble(round.get(contender))).toList();
    }

    private static List<Double> stateValues(List<Map<String, RunFigures>> rounds, ToDoubleFunction<RunFigures.StateFigures> value)
    {
        return rounds.stream().flatMap(round -> round.get("sluice").state().stream()).map(value::applyAsDouble).toList();
    }

    private static List<Double> ratios(List<Map<String, RunFigures>> rounds, String baseline)
    {
        return rounds.stream().map(round -> round.get("sluice").recordsPerSecond() / round.get(baseline).recordsPerSecond()).toList();
    }

    private static String formatted(List<Double> values)
    {
        return values.stream().map(value -> "%.2f".formatted(value)).toList().toString();
    }
}
