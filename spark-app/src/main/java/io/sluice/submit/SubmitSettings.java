package io.sluice.submit;

import io.sluice.config.UsageException;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import static java.util.Objects.requireNonNull;

/**
 * Where and how to run a job, resolved from {@code sluice submit}'s options and the stack's outputs.
 *
 * @param artifacts the prefix the jar is uploaded below ({@code jars/}) and EMR writes logs below ({@code emr-logs/})
 * @param name the job run's name; empty for {@code sluice-<command>}
 * @param sparkConf extra {@code --conf} settings, appended to the generated ones
 * @param retryLimit empty for the mode's default
 * @param timeoutMinutes empty for the mode's default
 */
public record SubmitSettings(
        String applicationId,
        String executionRoleArn,
        S3Location artifacts,
        Optional<String> logGroupName,
        Optional<String> encryptionKeyArn,
        Optional<String> name,
        String clientToken,
        JobResources resources,
        Map<String, String> sparkConf,
        OptionalInt retryLimit,
        OptionalInt timeoutMinutes)
{
    public SubmitSettings
    {
        requireNonNull(applicationId, "applicationId is null");
        requireNonNull(executionRoleArn, "executionRoleArn is null");
        requireNonNull(artifacts, "artifacts is null");
        requireNonNull(logGroupName, "logGroupName is null");
        requireNonNull(encryptionKeyArn, "encryptionKeyArn is null");
        requireNonNull(name, "name is null");
        requireNonNull(clientToken, "clientToken is null");
        requireNonNull(resources, "resources is null");
        // Keeps the caller's order: a later --spark-conf of the same key wins, as with spark-submit.
        sparkConf = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(sparkConf, "sparkConf is null")));
        requireNonNull(retryLimit, "retryLimit is null");
        requireNonNull(timeoutMinutes, "timeoutMinutes is null");
        if (!applicationId.matches("[0-9a-z]{1,64}")) {
            throw new UsageException("Invalid --application-id: '%s' (expected an EMR Serverless application id such as 00fabcdef1234567)".formatted(applicationId));
        }
        if (!executionRoleArn.matches("arn:aws[a-z-]*:iam::[0-9]{12}:role/.+")) {
            throw new UsageException("Invalid --execution-role-arn: '%s' (expected arn:aws:iam::<account>:role/<name>)".formatted(executionRoleArn));
        }
        if (clientToken.isBlank() || clientToken.length() > 64) {
            throw new UsageException("Invalid --client-token: '%s' (expected 1 to 64 characters)".formatted(clientToken));
        }
    }
}
