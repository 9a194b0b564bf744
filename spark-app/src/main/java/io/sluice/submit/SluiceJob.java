package io.sluice.submit;

import io.sluice.config.UsageException;

import software.amazon.awssdk.services.emrserverless.model.JobRunMode;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The sluice commands that run as EMR Serverless job runs, and the job run mode each needs. */
public enum SluiceJob
{
    /** Runs until cancelled; STREAMING mode restarts it after failures and lifts the 12-hour batch timeout. */
    STREAM("stream", JobRunMode.STREAMING),
    BACKFILL("backfill", JobRunMode.BATCH),
    REPLAY("replay", JobRunMode.BATCH),
    MAINTAIN("maintain", JobRunMode.BATCH);

    private final String command;
    private final JobRunMode mode;

    SluiceJob(String command, JobRunMode mode)
    {
        this.command = command;
        this.mode = mode;
    }

    /** The sluice subcommand the job runs: the first entry point argument. */
    public String command()
    {
        return command;
    }

    public JobRunMode mode()
    {
        return mode;
    }

    public static SluiceJob of(String command)
    {
        return Arrays.stream(values())
                .filter(job -> job.command.equals(command))
                .findFirst()
                .orElseThrow(() -> new UsageException("Invalid job: '%s' (expected one of %s)".formatted(command,
                        Arrays.stream(values()).map(SluiceJob::command).collect(Collectors.joining(", ")))));
    }
}
