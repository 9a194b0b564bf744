package io.sluice.benchmark;

import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;

import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;

import static java.util.Objects.requireNonNull;

/**
 * Every Spark job the driver starts, with when and what for. A job is assigned to a micro-batch by its start time
 * (inside the batch's trigger window), not by the batch id in its local properties: the pipeline starts some of its
 * Delta appends from a thread pool, whose jobs may not carry the streaming thread's properties.
 */
final class SparkJobLog
        extends SparkListener
{
    /**
     * The job description Delta 4.0 gives the job that replays a table's log into a snapshot's state
     * (SnapshotStateManager, through DeltaProgressReporter.withStatusCode): what {@code snapshot.transactions},
     * i.e. the idempotent writer's txnAppId lookup, runs once per new table version.
     */
    static final String LOG_REPLAY_DESCRIPTION = "Compute snapshot for version";

    /** @param description the job description and the call site, as "description | call site" */
    record Job(Instant startedAt, String description)
    {
        Job
        {
            requireNonNull(startedAt, "startedAt is null");
            requireNonNull(description, "description is null");
        }

        boolean logReplay()
        {
            return description.contains(LOG_REPLAY_DESCRIPTION);
        }

        /**
         * The description without what changes from batch to batch (the streaming query's ids and batch number, which
         * Spark puts in every job description of a micro-batch; Delta's table versions), to count jobs by kind.
         */
        String kind()
        {
            return description.replaceAll("id = [0-9a-f-]{36}\\s+runId = [0-9a-f-]{36}\\s+batch = [0-9]+", "<batch>")
                    .replaceAll("version: [0-9]+", "version: N");
        }
    }

    private final List<Job> jobs = new CopyOnWriteArrayList<>();

    @Override
    public void onJobStart(SparkListenerJobStart jobStart)
    {
        Properties properties = jobStart.properties();
        String description = properties == null ? null : properties.getProperty("spark.job.description");
        String callSite = properties == null ? null : properties.getProperty("callSite.short");
        jobs.add(new Job(Instant.ofEpochMilli(jobStart.time()), (description == null ? "" : description) + " | " + (callSite == null ? "" : callSite)));
    }

    List<Job> between(Instant start, Instant end)
    {
        return jobs.stream().filter(job -> !job.startedAt().isBefore(start) && !job.startedAt().isAfter(end)).toList();
    }
}
