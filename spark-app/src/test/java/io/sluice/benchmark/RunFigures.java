package io.sluice.benchmark;

import org.apache.spark.sql.streaming.StateOperatorProgress;
import org.apache.spark.sql.streaming.StreamingQueryProgress;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * What one contender's run over one input measured, all from the steady-state batches: the micro-batches that read
 * data, after the first two (which pay for query start, first Delta commits and code generation).
 *
 * @param durationsMs median per steady batch of each {@code durationMs} entry of the query progress
 * @param jobsPerBatch median Spark jobs started within a steady batch's trigger window
 * @param logReplayJobsPerBatch of those, Delta log-replay jobs ({@link SparkJobLog#LOG_REPLAY_DESCRIPTION})
 * @param commitsPerBatch median new {@code _delta_log} versions (commit files) written within a steady batch's window
 * @param jobKinds jobs per steady batch by description, numbers masked
 */
record RunFigures(
        String contender,
        int steadyBatches,
        long steadyRecords,
        double recordsPerSecond,
        Map<String, Long> durationsMs,
        double jobsPerBatch,
        double logReplayJobsPerBatch,
        double commitsPerBatch,
        Map<String, Double> jobKinds,
        Optional<StateFigures> state)
{
    /** Keys of {@code StreamingQueryProgress.durationMs} shown in the breakdown, in the order the trigger runs them. */
    static final List<String> DURATION_KEYS = List.of("latestOffset", "getBatch", "queryPlanning", "walCommit", "addBatch", "commitOffsets", "triggerExecution");

    /**
     * @param sstBytes RocksDB's SST files as the last progress reports them (0 while changelog checkpointing has not
     *         flushed a snapshot)
     * @param checkpointBytes every file under the run's checkpoint {@code state} directories: changelogs and snapshots
     */
    record StateFigures(long ids, long memoryBytes, long sstBytes, long checkpointBytes)
    {
        double memoryBytesPerId()
        {
            return ids == 0 ? 0 : memoryBytes / (double) ids;
        }

        double checkpointBytesPerId()
        {
            return ids == 0 ? 0 : checkpointBytes / (double) ids;
        }
    }

    RunFigures
    {
        requireNonNull(contender, "contender is null");
        durationsMs = Map.copyOf(requireNonNull(durationsMs, "durationsMs is null"));
        jobKinds = Map.copyOf(requireNonNull(jobKinds, "jobKinds is null"));
        requireNonNull(state, "state is null");
    }

    long batchMs()
    {
        return durationsMs.getOrDefault("triggerExecution", 0L);
    }

    static List<StreamingQueryProgress> dataBatches(StreamingQueryProgress[] progress)
    {
        return Stream.of(progress).filter(batch -> batch.numInputRows() > 0)
                .sorted(Comparator.comparingLong(StreamingQueryProgress::batchId)).toList();
    }

    static RunFigures of(String contender, StreamingQueryProgress[] progress, SparkJobLog jobs, Path directory)
    {
        List<StreamingQueryProgress> data = dataBatches(progress);
        if (data.size() < 3) {
            throw new Contender.BenchmarkFailure("%s: %d micro-batches read data, at least 3 are needed for a steady state".formatted(contender, data.size()));
        }
        List<StreamingQueryProgress> steady = data.subList(2, data.size());
        List<Instant> commits = commitTimes(directory);

        long records = 0;
        long millis = 0;
        Map<String, List<Double>> durations = new LinkedHashMap<>();
        List<Double> jobCounts = new ArrayList<>();
        List<Double> replayCounts = new ArrayList<>();
        List<Double> commitCounts = new ArrayList<>();
        Map<String, Double> kinds = new TreeMap<>();
        for (StreamingQueryProgress batch : steady) {
            records += batch.numInputRows();
            long total = batch.durationMs().getOrDefault("triggerExecution", 0L);
            millis += total;
            for (String key : DURATION_KEYS) {
                durations.computeIfAbsent(key, ignored -> new ArrayList<>()).add(batch.durationMs().getOrDefault(key, 0L).doubleValue());
            }
            Instant start = Instant.parse(batch.timestamp());
            Instant end = start.plusMillis(total);
            List<SparkJobLog.Job> batchJobs = jobs.between(start, end);
            jobCounts.add((double) batchJobs.size());
            replayCounts.add((double) batchJobs.stream().filter(SparkJobLog.Job::logReplay).count());
            commitCounts.add((double) commits.stream().filter(time -> !time.isBefore(start) && !time.isAfter(end)).count());
            batchJobs.forEach(job -> kinds.merge(job.kind(), 1.0 / steady.size(), Double::sum));
        }
        Map<String, Long> medians = new LinkedHashMap<>();
        durations.forEach((key, values) -> medians.put(key, Math.round(Stats.median(values))));
        return new RunFigures(contender, steady.size(), records, millis == 0 ? 0 : records * 1000.0 / millis, medians,
                Stats.median(jobCounts), Stats.median(replayCounts), Stats.median(commitCounts), kinds,
                state(data, directory));
    }

    /**
     * The dedup state after the last batch. Its ids: {@code numRowsTotal} is not kept (RocksDB row tracking is off,
     * decisions D3), so for the {@code transformWithState} dedup they are the map entries written over the run less
     * those its sweeps removed; for a checkpoint of the timer-per-id layout, the timers registered less those that
     * expired or were deleted.
     */
    private static Optional<StateFigures> state(List<StreamingQueryProgress> batches, Path directory)
    {
        StreamingQueryProgress last = batches.get(batches.size() - 1);
        if (last.stateOperators().length == 0) {
            return Optional.empty();
        }
        long ids = 0;
        long memory = 0;
        long sst = 0;
        for (int i = 0; i < last.stateOperators().length; i++) {
            StateOperatorProgress operator = last.stateOperators()[i];
            memory += operator.memoryUsedBytes();
            Long bytes = operator.customMetrics().get("rocksdbSstFileSize");
            sst += bytes == null ? 0 : bytes;
            if (operator.customMetrics().getOrDefault("numMapStateVars", 0L) > 0) {
                // The transformWithState dedup: one map entry per id, written when the id is first seen and removed by
                // its slot's sweep (its timers are per slot, not per id).
                for (StreamingQueryProgress batch : batches) {
                    ids += batch.stateOperators()[i].numRowsUpdated() - batch.stateOperators()[i].numRowsRemoved();
                }
            }
            else if (operator.customMetrics().containsKey("numRegisteredTimers")) {
                for (StreamingQueryProgress batch : batches) {
                    Map<String, Long> metrics = batch.stateOperators()[i].customMetrics();
                    ids += metrics.getOrDefault("numRegisteredTimers", 0L) - metrics.getOrDefault("numExpiredTimers", 0L) - metrics.getOrDefault("numDeletedTimers", 0L);
                }
            }
            else {
                ids += operator.numRowsTotal();
            }
        }
        return Optional.of(new StateFigures(ids, memory, sst, stateFileBytes(directory)));
    }

    /** When each Delta commit under the directory was written: one {@code _delta_log/<version>.json} per commit. */
    private static List<Instant> commitTimes(Path directory)
    {
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(file -> file.getParent() != null && file.getParent().getFileName().toString().equals("_delta_log")
                            && file.getFileName().toString().matches("[0-9]{20}\\.json"))
                    .map(file -> {
                        try {
                            return Files.getLastModifiedTime(file).toInstant();
                        }
                        catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    })
                    .toList();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long stateFileBytes(Path directory)
    {
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile)
                    .filter(file -> directory.relativize(file).toString().contains("/state/"))
                    .mapToLong(file -> file.toFile().length())
                    .sum();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
