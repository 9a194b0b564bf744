package io.sluice.submit;

import io.sluice.config.UsageException;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import software.amazon.awssdk.services.emrserverless.model.CloudWatchLoggingConfiguration;
import software.amazon.awssdk.services.emrserverless.model.ConfigurationOverrides;
import software.amazon.awssdk.services.emrserverless.model.JobDriver;
import software.amazon.awssdk.services.emrserverless.model.JobRunMode;
import software.amazon.awssdk.services.emrserverless.model.MonitoringConfiguration;
import software.amazon.awssdk.services.emrserverless.model.RetryPolicy;
import software.amazon.awssdk.services.emrserverless.model.S3MonitoringConfiguration;
import software.amazon.awssdk.services.emrserverless.model.SparkSubmit;
import software.amazon.awssdk.services.emrserverless.model.StartJobRunRequest;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * One EMR Serverless StartJobRun request, in the two forms it is used in: the SDK request {@code sluice submit} sends,
 * and the JSON {@code aws emr-serverless start-job-run --cli-input-json} takes, which {@code --dry-run} prints.
 *
 * @param retryLimit {@code maxFailedAttemptsPerHour} in STREAMING mode, {@code maxAttempts} in BATCH mode
 * @param executionTimeoutMinutes 0 for no timeout
 */
public record JobRunRequest(
        String applicationId,
        String executionRoleArn,
        String name,
        String clientToken,
        JobRunMode mode,
        String entryPoint,
        List<String> entryPointArguments,
        String sparkSubmitParameters,
        String logUri,
        Optional<String> logGroupName,
        Optional<String> encryptionKeyArn,
        Map<String, String> tags,
        int retryLimit,
        int executionTimeoutMinutes)
{
    public JobRunRequest
    {
        requireNonNull(applicationId, "applicationId is null");
        requireNonNull(executionRoleArn, "executionRoleArn is null");
        requireNonNull(name, "name is null");
        requireNonNull(clientToken, "clientToken is null");
        requireNonNull(mode, "mode is null");
        requireNonNull(entryPoint, "entryPoint is null");
        entryPointArguments = List.copyOf(requireNonNull(entryPointArguments, "entryPointArguments is null"));
        requireNonNull(sparkSubmitParameters, "sparkSubmitParameters is null");
        requireNonNull(logUri, "logUri is null");
        requireNonNull(logGroupName, "logGroupName is null");
        requireNonNull(encryptionKeyArn, "encryptionKeyArn is null");
        tags = Map.copyOf(requireNonNull(tags, "tags is null"));
        if (mode != JobRunMode.STREAMING && mode != JobRunMode.BATCH) {
            throw new UsageException("Invalid job run mode: " + mode);
        }
        if (retryLimit < 1 || retryLimit > 10) {
            throw new UsageException("Invalid retry limit: %d (EMR Serverless allows 1 to 10)".formatted(retryLimit));
        }
        if (executionTimeoutMinutes < 0) {
            throw new UsageException("Invalid execution timeout: %d minutes".formatted(executionTimeoutMinutes));
        }
    }

    public StartJobRunRequest toSdkRequest()
    {
        RetryPolicy.Builder retryPolicy = RetryPolicy.builder();
        if (mode == JobRunMode.STREAMING) {
            retryPolicy.maxFailedAttemptsPerHour(retryLimit);
        }
        else {
            retryPolicy.maxAttempts(retryLimit);
        }
        return StartJobRunRequest.builder()
                .applicationId(applicationId)
                .clientToken(clientToken)
                .executionRoleArn(executionRoleArn)
                .jobDriver(JobDriver.builder()
                        .sparkSubmit(SparkSubmit.builder()
                                .entryPoint(entryPoint)
                                .entryPointArguments(entryPointArguments)
                                .sparkSubmitParameters(sparkSubmitParameters)
                                .build())
                        .build())
                .configurationOverrides(ConfigurationOverrides.builder()
                        .monitoringConfiguration(MonitoringConfiguration.builder()
                                .s3MonitoringConfiguration(S3MonitoringConfiguration.builder()
                                        .logUri(logUri)
                                        .encryptionKeyArn(encryptionKeyArn.orElse(null))
                                        .build())
                                .cloudWatchLoggingConfiguration(CloudWatchLoggingConfiguration.builder()
                                        .enabled(true)
                                        .logGroupName(logGroupName.orElse(null))
                                        .encryptionKeyArn(encryptionKeyArn.orElse(null))
                                        .build())
                                .build())
                        .build())
                .tags(tags)
                .executionTimeoutMinutes((long) executionTimeoutMinutes)
                .name(name)
                .mode(mode)
                .retryPolicy(retryPolicy.build())
                .build();
    }

    /** The request as {@code --cli-input-json} takes it: the API's JSON body plus {@code applicationId} (a path parameter). */
    public ObjectNode toCliInputJson()
    {
        JsonNodeFactory json = JsonNodeFactory.instance;
        ObjectNode request = json.objectNode();
        request.put("applicationId", applicationId);
        request.put("clientToken", clientToken);
        request.put("executionRoleArn", executionRoleArn);
        ObjectNode sparkSubmit = request.putObject("jobDriver").putObject("sparkSubmit");
        sparkSubmit.put("entryPoint", entryPoint);
        entryPointArguments.forEach(sparkSubmit.putArray("entryPointArguments")::add);
        sparkSubmit.put("sparkSubmitParameters", sparkSubmitParameters);
        ObjectNode monitoring = request.putObject("configurationOverrides").putObject("monitoringConfiguration");
        ObjectNode s3 = monitoring.putObject("s3MonitoringConfiguration");
        s3.put("logUri", logUri);
        encryptionKeyArn.ifPresent(arn -> s3.put("encryptionKeyArn", arn));
        ObjectNode cloudWatch = monitoring.putObject("cloudWatchLoggingConfiguration");
        cloudWatch.put("enabled", true);
        logGroupName.ifPresent(group -> cloudWatch.put("logGroupName", group));
        encryptionKeyArn.ifPresent(arn -> cloudWatch.put("encryptionKeyArn", arn));
        ObjectNode tagNode = request.putObject("tags");
        tags.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(tag -> tagNode.put(tag.getKey(), tag.getValue()));
        request.put("executionTimeoutMinutes", executionTimeoutMinutes);
        request.put("name", name);
        request.put("mode", mode.toString());
        request.putObject("retryPolicy").put(mode == JobRunMode.STREAMING ? "maxFailedAttemptsPerHour" : "maxAttempts", retryLimit);
        return request;
    }
}
