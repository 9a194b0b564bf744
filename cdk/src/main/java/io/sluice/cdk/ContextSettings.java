package io.sluice.cdk;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import software.constructs.Node;

/**
 * Reads {@link SluiceSettings} from CDK context ({@code -c key=value} or cdk.json): {@code env} picks the
 * preset, every other key overrides one field. Values from {@code -c} arrive as strings and values from
 * cdk.json as JSON types, so everything goes through {@link String#valueOf(Object)} first.
 */
public final class ContextSettings
{

    /** The context keys, documented in docs/deploy.md. */
    public static final String ENV = "env";
    public static final String STREAM_CAPACITY = "streamCapacity";
    public static final String SHARD_COUNT = "shardCount";
    public static final String STREAM_RETENTION_HOURS = "streamRetentionHours";
    public static final String EMR_MAX_VCPU = "emrMaxVcpu";
    public static final String EMR_MAX_MEMORY_GB = "emrMaxMemoryGb";
    public static final String EMR_MAX_DISK_GB = "emrMaxDiskGb";
    public static final String EMR_ARCHITECTURE = "emrArchitecture";
    public static final String VPC_ID = "vpcId";
    public static final String AVAILABILITY_ZONES = "availabilityZones";
    public static final String SUBNET_IDS = "subnetIds";
    public static final String ROUTE_TABLE_IDS = "routeTableIds";
    public static final String GLUE_WORKER_TYPE = "glueWorkerType";
    public static final String GLUE_WORKER_COUNT = "glueWorkerCount";
    public static final String MAINTENANCE_SCHEDULE = "maintenanceSchedule";
    public static final String MARTS_SCHEDULE = "martsSchedule";
    public static final String ATHENA_BYTES_SCANNED_CUTOFF = "athenaBytesScannedCutoff";
    public static final String DELETE_ALARM_REQUESTS_PER_HOUR = "deleteAlarmRequestsPerHour";
    public static final String RAW_RETENTION_DAYS = "rawRetentionDays";
    public static final String ALARM_EMAIL = "alarmEmail";
    public static final String NOTEBOOKS_DIR = "notebooksDir";

    private final Node node;

    public ContextSettings(Node node)
    {
        this.node = requireNonNull(node, "node");
    }

    public SluiceSettings read()
    {
        return builder().build();
    }

    /** The preset with every context override applied, for a caller that has defaults of its own to add. */
    public SluiceSettings.Builder builder()
    {
        SluiceSettings.Builder builder = SluiceSettings.preset(string(ENV).orElse("dev"));
        set(STREAM_CAPACITY, v -> SluiceSettings.StreamCapacity.valueOf(v.toUpperCase(Locale.ROOT).replace('-', '_')),
                builder::streamCapacity);
        set(SHARD_COUNT, Integer::valueOf, builder::shardCount);
        set(STREAM_RETENTION_HOURS, Integer::valueOf, builder::streamRetentionHours);
        set(EMR_MAX_VCPU, Integer::valueOf, builder::emrMaxVcpu);
        set(EMR_MAX_MEMORY_GB, Integer::valueOf, builder::emrMaxMemoryGb);
        set(EMR_MAX_DISK_GB, Integer::valueOf, builder::emrMaxDiskGb);
        set(EMR_ARCHITECTURE, v -> v.toUpperCase(Locale.ROOT), builder::emrArchitecture);
        set(VPC_ID, Function.identity(), builder::vpcId);
        set(AVAILABILITY_ZONES, ContextSettings::list, builder::availabilityZones);
        set(SUBNET_IDS, ContextSettings::list, builder::subnetIds);
        set(ROUTE_TABLE_IDS, ContextSettings::list, builder::routeTableIds);
        set(GLUE_WORKER_TYPE, Function.identity(), builder::glueWorkerType);
        set(GLUE_WORKER_COUNT, Integer::valueOf, builder::glueWorkerCount);
        set(MAINTENANCE_SCHEDULE, Function.identity(), builder::maintenanceSchedule);
        set(MARTS_SCHEDULE, Function.identity(), builder::martsSchedule);
        set(ATHENA_BYTES_SCANNED_CUTOFF, Long::valueOf, builder::athenaBytesScannedCutoff);
        set(DELETE_ALARM_REQUESTS_PER_HOUR, Long::valueOf, builder::deleteAlarmRequestsPerHour);
        set(RAW_RETENTION_DAYS, Integer::valueOf, builder::rawRetentionDays);
        set(ALARM_EMAIL, Function.identity(), builder::alarmEmail);
        set(NOTEBOOKS_DIR, Path::of, builder::notebooksDir);
        return builder;
    }

    public boolean has(String key)
    {
        return string(key).isPresent();
    }

    private <T> void set(String key, Function<String, T> parse, Consumer<T> setter)
    {
        string(key).ifPresent(raw -> {
            try {
                setter.accept(parse.apply(raw));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("bad context value " + key + "=" + raw + ": " + e.getMessage(), e);
            }
        });
    }

    private Optional<String> string(String key)
    {
        Object value = node.tryGetContext(key);
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof List<?> items) {
            return Optional.of(String.join(",", items.stream().map(String::valueOf).toList()));
        }
        String text = String.valueOf(value).trim();
        return text.isEmpty() ? Optional.empty() : Optional.of(text);
    }

    private static List<String> list(String commaSeparated)
    {
        return Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
