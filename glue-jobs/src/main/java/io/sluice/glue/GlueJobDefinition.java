package io.sluice.glue;

import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * One Glue job of Sluice as glue-jobs.conf describes it: the command it runs, its size and time limit, and the
 * arguments Glue starts it with ({@code --command} included). Deployment-specific arguments are the CDK app's.
 */
public record GlueJobDefinition(
        String command,
        String workerType,
        int workers,
        int timeoutMinutes,
        int maxConcurrentRuns,
        int maxRetries,
        SortedMap<String, String> arguments)
{
    /** The Spark worker types of Glue 6.0 (G.025X is for streaming jobs only, so not here). */
    public static final List<String> WORKER_TYPES = List.of("G.1X", "G.2X", "G.4X", "G.8X");

    public GlueJobDefinition
    {
        requireNonNull(command, "command is null");
        requireNonNull(workerType, "workerType is null");
        requireNonNull(arguments, "arguments is null");
        check(GlueArguments.COMMANDS.contains(command), "command", command, "one of " + GlueArguments.COMMANDS);
        check(WORKER_TYPES.contains(workerType), "worker-type", workerType, "one of " + WORKER_TYPES);
        // Glue's minimum for a Spark job is a driver and one executor.
        check(workers >= 2, "workers", workers, "at least 2");
        // Glue's limit is 10080 minutes (7 days).
        check(timeoutMinutes >= 1 && timeoutMinutes <= 10_080, "timeout-minutes", timeoutMinutes, "1 to 10080");
        check(maxConcurrentRuns >= 1, "max-concurrent-runs", maxConcurrentRuns, "at least 1");
        check(maxRetries >= 0 && maxRetries <= 10, "max-retries", maxRetries, "0 to 10");
        check(arguments.keySet().stream().allMatch(key -> key.startsWith("--")), "arguments", arguments.keySet(),
                "keys that start with --");
        check(command.equals(arguments.get("--command")), "arguments", arguments.get("--command"),
                "--command " + command);
        arguments = new TreeMap<>(arguments);
    }

    /** The arguments, sorted by key so a synthesized template is the same from run to run. */
    @Override
    public SortedMap<String, String> arguments()
    {
        return new TreeMap<>(arguments);
    }

    /** The same job with another size, for a deployment that overrides it. */
    public GlueJobDefinition withSize(String workerType, int workers)
    {
        return new GlueJobDefinition(command, workerType, workers, timeoutMinutes, maxConcurrentRuns, maxRetries, arguments);
    }

    private static void check(boolean condition, String field, Object value, String expected)
    {
        if (!condition) {
            throw new IllegalArgumentException("Invalid Glue job definition %s: '%s' (expected %s)".formatted(field, value, expected));
        }
    }
}
