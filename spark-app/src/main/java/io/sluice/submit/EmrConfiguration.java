package io.sluice.submit;

import io.sluice.config.ConfigKey;
import io.sluice.config.ConfigKeys;
import io.sluice.config.InvalidConfigurationException;
import io.sluice.config.SluiceConfig;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The configuration of a job that runs on EMR Serverless, loaded and checked on the machine that submits it.
 *
 * <p>It travels as {@code --set key=value} entry point arguments, not as a file: the job's driver has no copy of a
 * local file and Sluice reads its configuration file from the local file system only. Arguments need no second upload,
 * are visible on the job run in the console and in {@code get-job-run}, and were validated here, so a typo fails in
 * the terminal with exit 2 instead of minutes later on EMR. Only keys whose value differs from the default are sent
 * (the job runs the same build, so it has the same defaults).
 *
 * <p>Layers, lowest first: the keys' defaults; what EMR implies ({@code spark.master} and {@code source.endpoint}
 * empty); the stack's outputs; the file ({@code -c}); {@code SLUICE_*} variables; {@code --set}.
 */
public final class EmrConfiguration
{
    static final String BASE_ORIGIN = "sluice submit's EMR Serverless defaults or --stack-outputs";

    private EmrConfiguration() {}

    public static SluiceConfig load(Optional<StackOutputs> stack, Optional<Path> file, Map<String, String> environment, Map<String, String> overrides)
    {
        requireNonNull(stack, "stack is null");
        Map<String, String> base = new LinkedHashMap<>();
        base.put(ConfigKeys.SPARK_MASTER.name(), "");
        base.put(ConfigKeys.SOURCE_ENDPOINT.name(), "");
        stack.ifPresent(outputs -> base.putAll(outputs.configuration()));
        SluiceConfig config = SluiceConfig.load(base, BASE_ORIGIN, file, environment, overrides);
        check(config);
        return config;
    }

    /** Rejects values that work on a laptop but cannot on EMR Serverless. */
    public static void check(SluiceConfig config)
    {
        requireNonNull(config, "config is null");
        String master = config.value(ConfigKeys.SPARK_MASTER);
        if (!master.isBlank()) {
            throw new InvalidConfigurationException(ConfigKeys.SPARK_MASTER.name(), master,
                    "empty on EMR Serverless, where spark-submit sets the master; remove the setting");
        }
        String endpoint = config.value(ConfigKeys.SOURCE_ENDPOINT);
        if (!endpoint.isEmpty() && isLoopback(endpoint)) {
            throw new InvalidConfigurationException(ConfigKeys.SOURCE_ENDPOINT.name(), endpoint,
                    "empty on EMR Serverless (the region's endpoint): a loopback address is this machine's mock, not reachable from the job");
        }
        requireS3(config, ConfigKeys.LAKE_ROOT, "pass --stack-outputs or set it to the lake bucket");
        requireS3(config, ConfigKeys.CHECKPOINT_ROOT, "pass --stack-outputs or set it to a prefix of the lake bucket");
        String stopMarker = config.value(ConfigKeys.STREAM_STOP_MARKER);
        if (!stopMarker.isEmpty() && !isS3(stopMarker)) {
            throw new InvalidConfigurationException(ConfigKeys.STREAM_STOP_MARKER.name(), stopMarker,
                    "empty or an s3a:// or s3:// URI on EMR Serverless, where the job cannot see this machine's files");
        }
        String contracts = config.value(ConfigKeys.CONTRACTS_DIR);
        if (!contracts.isEmpty()) {
            throw new InvalidConfigurationException(ConfigKeys.CONTRACTS_DIR.name(), contracts,
                    "empty on EMR Serverless: the job uses the contracts packaged in the application jar; rebuild the jar to change them");
        }
    }

    /** {@code --set key=value} pairs for every key whose value is not its default, in the order of the reference. */
    public static List<String> setArguments(SluiceConfig config)
    {
        requireNonNull(config, "config is null");
        List<String> arguments = new ArrayList<>();
        for (ConfigKey<?> key : ConfigKeys.ALL) {
            String value = config.rawValue(key);
            if (!value.equals(key.defaultValue())) {
                arguments.add("--set");
                arguments.add(key.name() + "=" + value);
            }
        }
        return arguments;
    }

    private static void requireS3(SluiceConfig config, ConfigKey<String> key, String fix)
    {
        String value = config.value(key);
        if (!isS3(value)) {
            throw new InvalidConfigurationException(key.name(), value, "an s3a:// or s3:// URI on EMR Serverless; " + fix);
        }
    }

    private static boolean isS3(String location)
    {
        return location.startsWith("s3a://") || location.startsWith("s3://");
    }

    private static boolean isLoopback(String endpoint)
    {
        String host = URI.create(endpoint).getHost();
        return host != null && (host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]") || host.equals("::1"));
    }
}
