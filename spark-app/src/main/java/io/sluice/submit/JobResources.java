package io.sluice.submit;

import io.sluice.config.UsageException;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Driver and executor sizes of a job run. EMR Serverless bills workers, not Spark settings: a worker has the
 * requested cores and the memory plus Spark's 10% overhead, rounded up to a whole GB, so the default 2 cores / 7g
 * is a 2 vCPU / 8 GB worker (the size docs/deploy.md prices).
 */
public record JobResources(int driverCores, int driverMemoryGb, int executorCores, int executorMemoryGb, int executors)
{
    public static final int DEFAULT_CORES = 2;
    public static final int DEFAULT_MEMORY_GB = 7;
    public static final int DEFAULT_EXECUTORS = 2;

    /** The vCPU counts an EMR Serverless worker can have. */
    private static final Set<Integer> WORKER_CORES = Set.of(1, 2, 4, 8, 16);
    private static final int MAX_MEMORY_GB = 120;
    private static final Pattern MEMORY = Pattern.compile("([0-9]{1,4})g");

    /** After the checks' constants, which its construction uses. */
    public static final JobResources DEFAULT = new JobResources(DEFAULT_CORES, DEFAULT_MEMORY_GB, DEFAULT_CORES, DEFAULT_MEMORY_GB, DEFAULT_EXECUTORS);

    public JobResources
    {
        checkCores("--driver-cores", driverCores);
        checkCores("--executor-cores", executorCores);
        checkMemory("--driver-memory", driverMemoryGb);
        checkMemory("--executor-memory", executorMemoryGb);
        if (executors < 1 || executors > 1000) {
            throw new UsageException("Invalid --executors: '%d' (expected 1 to 1000)".formatted(executors));
        }
    }

    /** Spark's spelling of a memory size, as the options take it: {@code 7g}. */
    public static int parseMemoryGb(String option, String value)
    {
        Matcher matcher = MEMORY.matcher(value.trim().toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            throw new UsageException("Invalid %s: '%s' (expected whole gigabytes such as 7g)".formatted(option, value));
        }
        return Integer.parseInt(matcher.group(1));
    }

    private static void checkCores(String option, int cores)
    {
        if (!WORKER_CORES.contains(cores)) {
            throw new UsageException("Invalid %s: '%d' (expected 1, 2, 4, 8 or 16, the vCPUs of an EMR Serverless worker)".formatted(option, cores));
        }
    }

    private static void checkMemory(String option, int gigabytes)
    {
        if (gigabytes < 1 || gigabytes > MAX_MEMORY_GB) {
            throw new UsageException("Invalid %s: '%dg' (expected 1g to %dg)".formatted(option, gigabytes, MAX_MEMORY_GB));
        }
    }
}
