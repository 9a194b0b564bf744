package io.sluice.submit;

import io.sluice.config.ConfigKeys;
import io.sluice.config.InvalidConfigurationException;
import io.sluice.config.SluiceConfig;
import software.amazon.awssdk.services.emrserverless.model.JobRunMode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/** Builds the StartJobRun request of a sluice job from the resolved settings, the job's configuration and the jar. */
public final class JobRunPlanner
{
    /**
     * A streaming job resumes from its checkpoint, so EMR may restart it after a failure; five failed attempts in an
     * hour (the service's default, stated so it is visible) means it is not transient, and EMR stops retrying.
     */
    public static final int STREAMING_MAX_FAILED_ATTEMPTS_PER_HOUR = 5;
    /** Batch jobs (backfill, replay, maintain) are idempotent by design: one retry after, say, a lost zone is safe. */
    public static final int BATCH_MAX_ATTEMPTS = 2;
    /** EMR Serverless's own default for batch job runs, stated so it is visible. */
    public static final int BATCH_TIMEOUT_MINUTES = 12 * 60;

    private JobRunPlanner() {}

    /**
     * @param jobArguments the job's own arguments (what follows {@code --}), passed after the configuration
     * @param config the job's configuration, already checked by {@link EmrConfiguration#check}
     */
    public static JobRunPlan plan(SluiceJob job, List<String> jobArguments, SluiceConfig config, ApplicationJar jar, SubmitSettings settings)
    {
        requireNonNull(job, "job is null");
        requireNonNull(jobArguments, "jobArguments is null");
        requireNonNull(config, "config is null");
        requireNonNull(jar, "jar is null");
        requireNonNull(settings, "settings is null");
        checkJobArguments(jobArguments);
        boolean streaming = job.mode() == JobRunMode.STREAMING;
        if (streaming && settings.timeoutMinutes().isPresent()) {
            throw new InvalidConfigurationException("Cannot use --timeout-minutes with stream: a streaming job run has no timeout and runs until cancelled");
        }

        S3Location jarLocation = settings.artifacts().resolve(ArtifactsLayout.JARS_PREFIX + jar.objectName());
        List<String> arguments = new ArrayList<>();
        arguments.add(job.command());
        arguments.addAll(EmrConfiguration.setArguments(config));
        arguments.addAll(jobArguments);

        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("project", "sluice");
        tags.put("sluice:job", job.command());
        tags.put("sluice:jar-sha256", jar.sha256());

        JobRunRequest request = new JobRunRequest(
                settings.applicationId(),
                settings.executionRoleArn(),
                settings.name().orElse("sluice-" + job.command()),
                settings.clientToken(),
                job.mode(),
                jarLocation.toString(),
                arguments,
                SparkSubmitParameters.of(config.value(ConfigKeys.SOURCE_CONNECTOR), settings.resources(), settings.sparkConf()),
                settings.artifacts().resolve(ArtifactsLayout.EMR_LOGS_PREFIX).toString(),
                settings.logGroupName(),
                settings.encryptionKeyArn(),
                tags,
                settings.retryLimit().orElse(streaming ? STREAMING_MAX_FAILED_ATTEMPTS_PER_HOUR : BATCH_MAX_ATTEMPTS),
                streaming ? 0 : settings.timeoutMinutes().orElse(BATCH_TIMEOUT_MINUTES));
        return new JobRunPlan(jar, jarLocation, request);
    }

    /** The configuration goes through sluice submit, which checks it; a file path after {@code --} would not exist on EMR. */
    private static void checkJobArguments(List<String> jobArguments)
    {
        for (String argument : jobArguments) {
            if (argument.equals("-c") || argument.equals("--config") || argument.startsWith("--config=")) {
                throw new InvalidConfigurationException("Cannot pass %s after --: the job on EMR Serverless cannot read this machine's files; "
                        .formatted(argument) + "give -c to sluice submit (before --), which sends the configuration as --set arguments");
            }
            if (argument.equals("-s") || argument.equals("--set") || argument.startsWith("--set=")) {
                throw new InvalidConfigurationException("Cannot pass %s after --: give it to sluice submit (before --), which checks it and sends it on"
                        .formatted(argument));
            }
        }
    }
}
