package io.sluice.cli;

import io.sluice.config.InvalidConfigurationException;
import io.sluice.config.SluiceConfig;
import io.sluice.submit.ApplicationJar;
import io.sluice.submit.EmrConfiguration;
import io.sluice.submit.JobResources;
import io.sluice.submit.JobRunPlan;
import io.sluice.submit.JobRunPlanner;
import io.sluice.submit.JobSubmitter;
import io.sluice.submit.S3Location;
import io.sluice.submit.SluiceJob;
import io.sluice.submit.StackOutputs;
import io.sluice.submit.SubmitSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.emrserverless.model.StartJobRunResponse;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.Callable;

@Command(name = "submit", mixinStandardHelpOptions = true,
        description = {"Upload the application jar and start a sluice job as an EMR Serverless job run: stream in STREAMING mode, "
                + "backfill, replay and maintain in BATCH mode.",
                "The configuration (-c, --set, SLUICE_* variables, and the stack's stream and lake with --stack-outputs) is checked here "
                        + "and sent as --set arguments; the job's own arguments follow --.",
                "Example: sluice submit stream --stack-outputs sluice-dev-outputs.json -c conf/emr.conf"},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:the job run was started (or, with --dry-run, printed)", "1:the upload or StartJobRun failed",
                "2:bad command line, configuration or settings (nothing was uploaded or started)"})
final class SubmitCommand
        implements Callable<Integer>
{
    @Parameters(index = "0", paramLabel = "JOB", description = "stream, backfill, replay or maintain")
    String job;

    @Parameters(index = "1..*", paramLabel = "JOB_ARGUMENT", description = "After --: the job's own arguments, e.g. -- --from 2026-06-01T00:00:00Z --to 2026-06-02T00:00:00Z")
    List<String> jobArguments = new ArrayList<>();

    @Mixin
    ConfigOptions configOptions;

    @Option(names = "--stack-outputs", paramLabel = "FILE",
            description = "The file cdk deploy --outputs-file wrote: application id, job role, buckets, log group, key, stream and lake come from it")
    Path stackOutputs;

    @Option(names = "--stack", paramLabel = "NAME", description = "The stack to read in --stack-outputs, when it holds several")
    String stack;

    @Option(names = "--application-id", paramLabel = "ID", description = "EMR Serverless application (stack output EmrApplicationId)")
    String applicationId;

    @Option(names = "--execution-role-arn", paramLabel = "ARN", description = "Job runtime role (stack output EmrJobRoleArn)")
    String executionRoleArn;

    @Option(names = "--artifacts", paramLabel = "S3_URI",
            description = "s3://bucket[/prefix]: the jar goes to jars/, EMR's logs to emr-logs/ below it (stack output ArtifactsBucketName)")
    String artifacts;

    @Option(names = "--jar", paramLabel = "FILE", description = "The application jar; default: the one spark-app/target/sluice-spark-app-*-emr.jar")
    Path jar;

    @Option(names = "--region", paramLabel = "REGION", description = "Default: the stack's region, else the AWS SDK's (AWS_REGION, profile)")
    String region;

    @Option(names = "--log-group", paramLabel = "NAME", description = "CloudWatch log group of the job run (stack output EmrLogGroup); default: EMR's")
    String logGroup;

    @Option(names = "--name", paramLabel = "NAME", description = "Job run name; default: sluice-<job>")
    String name;

    @Option(names = "--client-token", paramLabel = "TOKEN",
            description = "Idempotency token: repeating a submission with the same token starts no second job run; default: a new UUID")
    String clientToken;

    @Option(names = "--driver-cores", paramLabel = "N", defaultValue = "" + JobResources.DEFAULT_CORES, description = "Default: ${DEFAULT-VALUE}")
    int driverCores;

    @Option(names = "--driver-memory", paramLabel = "SIZE", defaultValue = JobResources.DEFAULT_MEMORY_GB + "g", description = "Default: ${DEFAULT-VALUE}")
    String driverMemory;

    @Option(names = "--executor-cores", paramLabel = "N", defaultValue = "" + JobResources.DEFAULT_CORES, description = "Default: ${DEFAULT-VALUE}")
    int executorCores;

    @Option(names = "--executor-memory", paramLabel = "SIZE", defaultValue = JobResources.DEFAULT_MEMORY_GB + "g", description = "Default: ${DEFAULT-VALUE}")
    String executorMemory;

    @Option(names = "--executors", paramLabel = "N", defaultValue = "" + JobResources.DEFAULT_EXECUTORS, description = "Default: ${DEFAULT-VALUE}")
    int executors;

    @Option(names = "--spark-conf", paramLabel = "KEY=VALUE", description = "Another --conf for spark-submit (repeatable; wins over the generated ones)")
    Map<String, String> sparkConf = new LinkedHashMap<>();

    @Option(names = "--retry-limit", paramLabel = "N",
            description = "1 to 10: failed attempts per hour before EMR gives up on stream (default " + JobRunPlanner.STREAMING_MAX_FAILED_ATTEMPTS_PER_HOUR
                    + "), attempts of a batch job (default " + JobRunPlanner.BATCH_MAX_ATTEMPTS + ")")
    Integer retryLimit;

    @Option(names = "--timeout-minutes", paramLabel = "N",
            description = "Batch jobs only: cancel the job run after this long (default " + JobRunPlanner.BATCH_TIMEOUT_MINUTES + "); a stream has none")
    Integer timeoutMinutes;

    @Option(names = "--dry-run", description = "Print the StartJobRun request (--cli-input-json) and the equivalent aws commands; call nothing")
    boolean dryRun;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call()
    {
        SluiceJob sluiceJob = SluiceJob.of(job);
        if (stack != null && stackOutputs == null) {
            throw new InvalidConfigurationException("Cannot use --stack without --stack-outputs");
        }
        Optional<StackOutputs> outputs = Optional.ofNullable(stackOutputs).map(file -> StackOutputs.read(file, Optional.ofNullable(stack)));
        SluiceConfig config = EmrConfiguration.load(outputs, Optional.ofNullable(configOptions.file), System.getenv(), configOptions.overrides);
        String resolvedRegion = Optional.ofNullable(region)
                .or(() -> outputs.flatMap(StackOutputs::region))
                .or(SubmitCommand::sdkRegion)
                .orElseThrow(() -> new InvalidConfigurationException("Missing --region: pass it, set AWS_REGION, or pass --stack-outputs"));
        if (retryLimit != null && (retryLimit < 1 || retryLimit > 10)) {
            throw new InvalidConfigurationException("Invalid --retry-limit: '%d' (expected 1 to 10)".formatted(retryLimit));
        }
        if (timeoutMinutes != null && timeoutMinutes < 1) {
            throw new InvalidConfigurationException("Invalid --timeout-minutes: '%d' (expected at least 1)".formatted(timeoutMinutes));
        }
        SubmitSettings settings = new SubmitSettings(
                required(applicationId, "--application-id", outputs, StackOutputs.EMR_APPLICATION_ID),
                required(executionRoleArn, "--execution-role-arn", outputs, StackOutputs.EMR_JOB_ROLE_ARN),
                artifacts != null
                        ? S3Location.parse("--artifacts", artifacts).asPrefix()
                        : new S3Location(required(null, "--artifacts", outputs, StackOutputs.ARTIFACTS_BUCKET_NAME), ""),
                Optional.ofNullable(logGroup).or(() -> outputs.flatMap(stackOutputs -> stackOutputs.value(StackOutputs.EMR_LOG_GROUP))),
                outputs.flatMap(stackOutputs -> stackOutputs.value(StackOutputs.KEY_ARN)),
                Optional.ofNullable(name),
                Optional.ofNullable(clientToken).orElseGet(() -> UUID.randomUUID().toString()),
                new JobResources(driverCores, JobResources.parseMemoryGb("--driver-memory", driverMemory),
                        executorCores, JobResources.parseMemoryGb("--executor-memory", executorMemory), executors),
                sparkConf,
                retryLimit == null ? OptionalInt.empty() : OptionalInt.of(retryLimit),
                timeoutMinutes == null ? OptionalInt.empty() : OptionalInt.of(timeoutMinutes));
        ApplicationJar applicationJar = ApplicationJar.of(jar != null ? jar : ApplicationJar.find(SluiceHome.resolve()));
        JobRunPlan plan = JobRunPlanner.plan(sluiceJob, jobArguments, config, applicationJar, settings);

        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (dryRun) {
            out.println(plan.requestJson());
            out.flush();
            err.println("sluice submit: dry run, nothing uploaded or started. The same with the AWS CLI:");
            plan.awsCliCommands(resolvedRegion).forEach(command -> err.println("  " + command));
            err.flush();
            return ExitCodes.OK;
        }
        try (JobSubmitter submitter = new JobSubmitter(resolvedRegion)) {
            boolean uploaded = submitter.upload(plan.jar(), plan.jarLocation());
            out.printf("sluice submit: %s %s%n", uploaded ? "uploaded the application jar to" : "the application jar is already at", plan.jarLocation());
            out.flush();
            StartJobRunResponse response = submitter.start(plan.request());
            out.printf("sluice submit: started job run %s (%s, %s) on application %s%n", response.jobRunId(), plan.request().name(),
                    plan.request().mode(), response.applicationId());
            out.printf("  aws emr-serverless get-job-run --region %s --application-id %s --job-run-id %s%n", resolvedRegion,
                    response.applicationId(), response.jobRunId());
            out.flush();
        }
        return ExitCodes.OK;
    }

    /** An option's value, else the stack output standing in for it. */
    private static String required(String option, String optionName, Optional<StackOutputs> outputs, String outputName)
    {
        if (option != null) {
            return option;
        }
        if (outputs.isEmpty()) {
            throw new InvalidConfigurationException("Missing %s: pass it, or --stack-outputs with the file cdk deploy --outputs-file wrote".formatted(optionName));
        }
        return outputs.get().value(outputName).orElseThrow(() -> new InvalidConfigurationException(
                "Missing %s: stack %s has no output %s; pass %s, or redeploy the stack with this version's cdk app"
                        .formatted(optionName, outputs.get().stackName(), outputName, optionName)));
    }

    private static Optional<String> sdkRegion()
    {
        try {
            return Optional.of(new DefaultAwsRegionProviderChain().getRegion().id());
        }
        catch (SdkClientException e) {
            return Optional.empty();
        }
    }
}
