package io.sluice.submit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.config.ConfigKeys;
import io.sluice.config.InvalidConfigurationException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * One stack's outputs from the file {@code cdk deploy --outputs-file} writes ({@code {"Sluice-dev": {"EmrApplicationId":
 * "...", ...}}}), so nobody copies ids by hand. The output names are defined here and the CDK app (which depends on
 * this module) publishes its outputs under them.
 */
public record StackOutputs(String stackName, Map<String, String> values)
{
    public static final String EMR_APPLICATION_ID = "EmrApplicationId";
    public static final String EMR_JOB_ROLE_ARN = "EmrJobRoleArn";
    public static final String EMR_LOG_GROUP = "EmrLogGroup";
    public static final String ARTIFACTS_BUCKET_NAME = "ArtifactsBucketName";
    public static final String KEY_ARN = "KeyArn";
    public static final String LAKE_BUCKET_NAME = "LakeBucketName";
    public static final String CHECKPOINTS_URI = "CheckpointsUri";
    public static final String STREAM_NAME = "StreamName";
    public static final String STREAM_ARN = "StreamArn";
    /** Per environment ({@code Sluice/<env>}): the namespace the stack's alarms read and its job role may write. */
    public static final String METRICS_NAMESPACE = "MetricsNamespace";

    public StackOutputs
    {
        requireNonNull(stackName, "stackName is null");
        values = Map.copyOf(requireNonNull(values, "values is null"));
    }

    /**
     * @param stack the stack to read; may be empty when the file holds one stack
     */
    public static StackOutputs read(Path file, Optional<String> stack)
    {
        requireNonNull(file, "file is null");
        requireNonNull(stack, "stack is null");
        if (!Files.isRegularFile(file)) {
            throw new InvalidConfigurationException("Invalid --stack-outputs: '%s' (no such file; write it with cdk deploy --outputs-file)".formatted(file));
        }
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        }
        catch (JsonProcessingException e) {
            throw new InvalidConfigurationException("Invalid --stack-outputs: '%s' (expected the JSON cdk deploy --outputs-file writes: %s)"
                    .formatted(file, e.getOriginalMessage()));
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
        if (root == null || !root.isObject() || root.isEmpty()) {
            throw new InvalidConfigurationException("Invalid --stack-outputs: '%s' (expected an object of stacks, each an object of outputs)".formatted(file));
        }
        List<String> stacks = new ArrayList<>();
        root.fieldNames().forEachRemaining(stacks::add);
        String name = stack.orElseGet(() -> {
            if (stacks.size() != 1) {
                throw new InvalidConfigurationException("Missing --stack: %s holds the outputs of stacks %s; name one".formatted(file, String.join(", ", stacks)));
            }
            return stacks.get(0);
        });
        JsonNode outputs = root.get(name);
        if (outputs == null) {
            throw new InvalidConfigurationException("Invalid --stack: '%s' (expected one of %s, the stacks in %s)".formatted(name, String.join(", ", stacks), file));
        }
        Map<String, String> values = new LinkedHashMap<>();
        outputs.fields().forEachRemaining(entry -> {
            if (entry.getValue().isValueNode()) {
                values.put(entry.getKey(), entry.getValue().asText());
            }
        });
        return new StackOutputs(name, values);
    }

    public Optional<String> value(String output)
    {
        return Optional.ofNullable(values.get(requireNonNull(output, "output is null")));
    }

    /** The stack's region, read from the stream's ARN ({@code arn:aws:kinesis:<region>:<account>:stream/<name>}). */
    public Optional<String> region()
    {
        return value(STREAM_ARN)
                .map(arn -> arn.split(":", 6))
                .filter(parts -> parts.length == 6 && parts[0].equals("arn") && !parts[3].isEmpty())
                .map(parts -> parts[3]);
    }

    /**
     * The configuration the stack implies: its stream and region, and the lake and checkpoints in its lake bucket.
     * Through S3A ({@code s3a://}), as conf/emr.conf and docs/deploy.md write them.
     */
    public Map<String, String> configuration()
    {
        Map<String, String> configuration = new LinkedHashMap<>();
        value(STREAM_NAME).ifPresent(name -> configuration.put(ConfigKeys.SOURCE_STREAM_NAME.name(), name));
        region().ifPresent(region -> configuration.put(ConfigKeys.SOURCE_REGION.name(), region));
        value(LAKE_BUCKET_NAME).ifPresent(bucket -> configuration.put(ConfigKeys.LAKE_ROOT.name(), "s3a://" + bucket));
        value(CHECKPOINTS_URI).ifPresent(uri -> configuration.put(ConfigKeys.CHECKPOINT_ROOT.name(), s3a(uri)));
        value(METRICS_NAMESPACE).ifPresent(namespace -> configuration.put(ConfigKeys.METRICS_CLOUDWATCH_NAMESPACE.name(), namespace));
        return configuration;
    }

    private static String s3a(String uri)
    {
        String location = uri.startsWith("s3://") ? "s3a://" + uri.substring("s3://".length()) : uri;
        return location.endsWith("/") ? location.substring(0, location.length() - 1) : location;
    }
}
