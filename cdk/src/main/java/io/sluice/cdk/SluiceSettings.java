package io.sluice.cdk;

import static java.util.Objects.requireNonNull;

import io.sluice.glue.GlueJobDefinition;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Everything that differs between deployments of Sluice: one immutable value, built from an
 * environment preset ({@link #dev()} or {@link #prod()}) and then overridden from CDK context by
 * {@link ContextSettings}. All validation happens in {@link Builder#build()}, so constructs can trust it.
 */
public record SluiceSettings(
        String envName,
        StreamCapacity streamCapacity,
        int shardCount,
        int streamRetentionHours,
        int emrMaxVcpu,
        int emrMaxMemoryGb,
        int emrMaxDiskGb,
        int emrIdleTimeoutMinutes,
        String emrArchitecture,
        Optional<String> vpcId,
        List<String> availabilityZones,
        List<String> subnetIds,
        List<String> routeTableIds,
        Optional<String> glueWorkerType,
        Optional<Integer> glueWorkerCount,
        String maintenanceSchedule,
        String martsSchedule,
        int logRetentionDays,
        int checkpointNoncurrentDays,
        int lakeNoncurrentDays,
        int athenaResultDays,
        long athenaBytesScannedCutoff,
        long iteratorAgeAlarmMillis,
        double quarantineAlarmPercent,
        long deleteAlarmRequestsPerHour,
        int rawRetentionDays,
        boolean retainData,
        Optional<String> alarmEmail,
        Optional<Path> notebooksDir,
        String glueJarName)
        {

    /** How the Kinesis stream is billed and sized. */
    public enum StreamCapacity
    {
        /** Pay per GB in/out and per stream-hour; scales by itself (the default: event rates are unknown). */
        ON_DEMAND,
        /** Pay per shard-hour; cheaper for steady, known traffic. Uses {@link #shardCount()}. */
        PROVISIONED
    }

    private static final Pattern ENV_NAME = Pattern.compile("[a-z][a-z0-9]{1,11}");
    // The retention periods CloudWatch Logs accepts.
    private static final List<Integer> LOG_RETENTION_DAYS = List.of(1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365,
            400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653);
    private static final List<String> EMR_ARCHITECTURES = List.of("ARM64", "X86_64");

    public SluiceSettings
    {
        requireNonNull(vpcId, "vpcId");
        availabilityZones = List.copyOf(availabilityZones);
        subnetIds = List.copyOf(subnetIds);
        routeTableIds = List.copyOf(routeTableIds);
        requireNonNull(glueWorkerType, "glueWorkerType");
        requireNonNull(glueWorkerCount, "glueWorkerCount");
        requireNonNull(alarmEmail, "alarmEmail");
        requireNonNull(notebooksDir, "notebooksDir");
        requireNonNull(glueJarName, "glueJarName");
    }

    /** Names physical resources ({@code sluice-dev-events}), so two environments can share an account. */
    public String prefix()
    {
        return "sluice-" + envName;
    }

    /** Glue database names may not contain '-' if Athena and Spark are to quote them the same way. */
    public String databaseName()
    {
        return "sluice_" + envName;
    }

    /**
     * The restricted database of bronze and quarantine, which hold every payload as received (possibly personal
     * data): the job roles use it, the analysts' policy does not name it.
     */
    public String rawDatabaseName()
    {
        return databaseName() + "_raw";
    }

    /** Per environment, so one environment's jobs can neither raise nor hide another's alarms. */
    public String metricsNamespace()
    {
        return "Sluice/" + envName;
    }

    /** Whether the jobs run in a VPC given by context ({@code vpcId} ...) rather than one this stack builds. */
    public boolean importsVpc()
    {
        return vpcId.isPresent();
    }

    /**
     * Small and cheap: one 24x7 streaming job on a few vCPUs, every Glue job on the smallest Spark size, data
     * deleted with the stack.
     */
    public static Builder dev()
    {
        return new Builder()
                .envName("dev")
                .streamCapacity(StreamCapacity.ON_DEMAND)
                .shardCount(1)
                .streamRetentionHours(24)
                .emrMaxVcpu(16)
                .emrMaxMemoryGb(64)
                .emrMaxDiskGb(200)
                .emrIdleTimeoutMinutes(15)
                .glueWorkerType("G.1X")
                .glueWorkerCount(2)
                .logRetentionDays(30)
                .checkpointNoncurrentDays(3)
                .lakeNoncurrentDays(7)
                .athenaResultDays(7)
                .athenaBytesScannedCutoff(10L * 1024 * 1024 * 1024)
                .rawRetentionDays(30)
                .retainData(false);
    }

    /**
     * Room to scale out and a week of stream replay; each Glue job sized as glue-jobs.conf describes it; data, keys
     * and logs survive a stack deletion.
     */
    public static Builder prod()
    {
        return new Builder()
                .envName("prod")
                .streamCapacity(StreamCapacity.ON_DEMAND)
                .shardCount(4)
                .streamRetentionHours(168)
                .emrMaxVcpu(64)
                .emrMaxMemoryGb(256)
                .emrMaxDiskGb(1000)
                .emrIdleTimeoutMinutes(30)
                .logRetentionDays(365)
                .checkpointNoncurrentDays(14)
                .lakeNoncurrentDays(30)
                .athenaResultDays(30)
                .athenaBytesScannedCutoff(100L * 1024 * 1024 * 1024)
                .rawRetentionDays(90)
                .retainData(true);
    }

    /** The preset for an environment name; only {@code dev} and {@code prod} exist. */
    public static Builder preset(String envName)
    {
        return switch (requireNonNull(envName, "envName")) {
            case "dev" -> dev();
            case "prod" -> prod();
            default -> throw new IllegalArgumentException("unknown env '" + envName + "': use -c env=dev or -c env=prod");
        };
    }

    /** Mutable only while being built; {@link #build()} validates every field together. */
    public static final class Builder
    {
        private String envName;
        private StreamCapacity streamCapacity = StreamCapacity.ON_DEMAND;
        private int shardCount = 1;
        private int streamRetentionHours = 24;
        private int emrMaxVcpu;
        private int emrMaxMemoryGb;
        private int emrMaxDiskGb;
        private int emrIdleTimeoutMinutes = 15;
        // Graviton: about 20% cheaper per vCPU-hour than x86 on EMR Serverless, and the job is pure JVM code.
        private String emrArchitecture = "ARM64";
        private Optional<String> vpcId = Optional.empty();
        private List<String> availabilityZones = List.of();
        private List<String> subnetIds = List.of();
        private List<String> routeTableIds = List.of();
        // Unset: each Glue job keeps the size glue-jobs.conf gives it; set: every Glue job gets this size.
        private Optional<String> glueWorkerType = Optional.empty();
        private Optional<Integer> glueWorkerCount = Optional.empty();
        // Daily at 03:00 UTC: after the nightly low of a typical event stream; Glue's six-field cron syntax.
        private String maintenanceSchedule = "cron(0 3 * * ? *)";
        // Hourly, a quarter past: the marts follow silver within the hour (GoldMarts reads what arrived since its last run).
        private String martsSchedule = "cron(15 * * * ? *)";
        private int logRetentionDays = 30;
        private int checkpointNoncurrentDays = 3;
        private int lakeNoncurrentDays = 7;
        private int athenaResultDays = 7;
        private long athenaBytesScannedCutoff = 10L * 1024 * 1024 * 1024;
        // Five minutes behind the tip of the stream is well past a healthy micro-batch cadence.
        private long iteratorAgeAlarmMillis = 5 * 60 * 1000L;
        private double quarantineAlarmPercent = 1.0;
        // Compaction and VACUUM of a day's micro-batch files delete a few thousand objects; a job or person deleting
        // a table deletes far more.
        private long deleteAlarmRequestsPerHour = 20_000;
        // Bronze and quarantine hold payloads as received (possibly personal data): kept this long, then deleted.
        private int rawRetentionDays = 30;
        private boolean retainData;
        private Optional<String> alarmEmail = Optional.empty();
        private Optional<Path> notebooksDir = Optional.empty();
        // The object name of the Glue jar below jars/: SluiceApp names the version and, when the jar is built, the
        // start of its SHA-256, so a job never runs a jar other than the one the stack was deployed for.
        private String glueJarName = "sluice-glue-jobs-glue.jar";

        private Builder() {}

        public Builder envName(String value)
        {
            this.envName = value;
            return this;
        }
        public Builder streamCapacity(StreamCapacity value)
        {
            this.streamCapacity = value;
            return this;
        }
        public Builder shardCount(int value)
        {
            this.shardCount = value;
            return this;
        }
        public Builder streamRetentionHours(int value)
        {
            this.streamRetentionHours = value;
            return this;
        }
        public Builder emrMaxVcpu(int value)
        {
            this.emrMaxVcpu = value;
            return this;
        }
        public Builder emrMaxMemoryGb(int value)
        {
            this.emrMaxMemoryGb = value;
            return this;
        }
        public Builder emrMaxDiskGb(int value)
        {
            this.emrMaxDiskGb = value;
            return this;
        }
        public Builder emrIdleTimeoutMinutes(int value)
        {
            this.emrIdleTimeoutMinutes = value;
            return this;
        }
        public Builder emrArchitecture(String value)
        {
            this.emrArchitecture = value;
            return this;
        }
        public Builder vpcId(String value)
        {
            this.vpcId = Optional.ofNullable(value);
            return this;
        }
        public Builder availabilityZones(List<String> value)
        {
            this.availabilityZones = value;
            return this;
        }
        public Builder subnetIds(List<String> value)
        {
            this.subnetIds = value;
            return this;
        }
        public Builder routeTableIds(List<String> value)
        {
            this.routeTableIds = value;
            return this;
        }
        public Builder glueWorkerType(String value)
        {
            this.glueWorkerType = Optional.ofNullable(value);
            return this;
        }
        public Builder glueWorkerCount(int value)
        {
            this.glueWorkerCount = Optional.of(value);
            return this;
        }
        public Builder maintenanceSchedule(String value)
        {
            this.maintenanceSchedule = value;
            return this;
        }
        public Builder martsSchedule(String value)
        {
            this.martsSchedule = value;
            return this;
        }

        public Builder logRetentionDays(int value)
        {
            this.logRetentionDays = value;
            return this;
        }
        public Builder checkpointNoncurrentDays(int value)
        {
            this.checkpointNoncurrentDays = value;
            return this;
        }
        public Builder lakeNoncurrentDays(int value)
        {
            this.lakeNoncurrentDays = value;
            return this;
        }
        public Builder athenaResultDays(int value)
        {
            this.athenaResultDays = value;
            return this;
        }
        public Builder athenaBytesScannedCutoff(long value)
        {
            this.athenaBytesScannedCutoff = value;
            return this;
        }
        public Builder iteratorAgeAlarmMillis(long value)
        {
            this.iteratorAgeAlarmMillis = value;
            return this;
        }
        public Builder quarantineAlarmPercent(double value)
        {
            this.quarantineAlarmPercent = value;
            return this;
        }
        public Builder deleteAlarmRequestsPerHour(long value)
        {
            this.deleteAlarmRequestsPerHour = value;
            return this;
        }
        public Builder rawRetentionDays(int value)
        {
            this.rawRetentionDays = value;
            return this;
        }
        public Builder retainData(boolean value)
        {
            this.retainData = value;
            return this;
        }
        public Builder alarmEmail(String value)
        {
            this.alarmEmail = Optional.ofNullable(value);
            return this;
        }
        public Builder notebooksDir(Path value)
        {
            this.notebooksDir = Optional.ofNullable(value);
            return this;
        }
        public Builder glueJarName(String value)
        {
            this.glueJarName = value;
            return this;
        }

        public SluiceSettings build()
        {
            requireNonNull(envName, "envName");
            requireNonNull(streamCapacity, "streamCapacity");
            requireNonNull(emrArchitecture, "emrArchitecture");
            requireNonNull(maintenanceSchedule, "maintenanceSchedule");
            requireNonNull(martsSchedule, "martsSchedule");
            requireNonNull(vpcId, "vpcId");
            requireNonNull(availabilityZones, "availabilityZones");
            requireNonNull(subnetIds, "subnetIds");
            requireNonNull(routeTableIds, "routeTableIds");
            check(ENV_NAME.matcher(envName).matches(), "envName must be 2-12 lowercase letters/digits: " + envName);
            check(shardCount >= 1 && shardCount <= 500, "shardCount must be 1..500: " + shardCount);
            // Kinesis allows 24 hours to 365 days.
            check(streamRetentionHours >= 24 && streamRetentionHours <= 8760,
                    "streamRetentionHours must be 24..8760: " + streamRetentionHours);
            // EMR Serverless: a worker has 1-16 vCPU and 2-8 GB per vCPU, so the cap must fit at least one
            // driver plus one executor of the smallest size.
            check(emrMaxVcpu >= 2, "emrMaxVcpu must be at least 2 (a driver and an executor): " + emrMaxVcpu);
            check(emrMaxMemoryGb >= 2 * emrMaxVcpu && emrMaxMemoryGb <= 8 * emrMaxVcpu,
                    "emrMaxMemoryGb must be 2..8 GB per vCPU: " + emrMaxMemoryGb + " for " + emrMaxVcpu + " vCPU");
            check(emrMaxDiskGb >= 20, "emrMaxDiskGb must be at least 20: " + emrMaxDiskGb);
            check(emrIdleTimeoutMinutes >= 1 && emrIdleTimeoutMinutes <= 10080,
                    "emrIdleTimeoutMinutes must be 1..10080: " + emrIdleTimeoutMinutes);
            check(EMR_ARCHITECTURES.contains(emrArchitecture), "emrArchitecture must be one of " + EMR_ARCHITECTURES);
            if (vpcId.isPresent()) {
                // The stack still adds its endpoints and security groups to a VPC it is given: it needs the
                // subnets for the interface endpoints and the route tables for the S3 gateway endpoint.
                check(!subnetIds.isEmpty() && subnetIds.size() == availabilityZones.size()
                                && subnetIds.size() == routeTableIds.size(),
                        "vpcId needs subnetIds, availabilityZones and routeTableIds, one per private subnet: "
                                + subnetIds.size() + " subnets, " + availabilityZones.size() + " zones, "
                                + routeTableIds.size() + " route tables");
            } else {
                check(subnetIds.isEmpty() && availabilityZones.isEmpty() && routeTableIds.isEmpty(),
                        "subnetIds, availabilityZones and routeTableIds need vpcId (without it the stack builds a VPC)");
            }
            glueWorkerType.ifPresent(type -> check(GlueJobDefinition.WORKER_TYPES.contains(type),
                    "glueWorkerType must be one of " + GlueJobDefinition.WORKER_TYPES + ": " + type));
            glueWorkerCount.ifPresent(count -> check(count >= 2,
                    "glueWorkerCount must be at least 2 (Glue's minimum for Spark jobs): " + count));
            check(maintenanceSchedule.startsWith("cron(") && maintenanceSchedule.endsWith(")"),
                    "maintenanceSchedule must be a Glue cron(...) expression: " + maintenanceSchedule);
            check(martsSchedule.startsWith("cron(") && martsSchedule.endsWith(")"),
                    "martsSchedule must be a Glue cron(...) expression: " + martsSchedule);
            check(LOG_RETENTION_DAYS.contains(logRetentionDays),
                    "logRetentionDays must be one of CloudWatch's " + LOG_RETENTION_DAYS + ": " + logRetentionDays);
            check(checkpointNoncurrentDays >= 1, "checkpointNoncurrentDays must be positive");
            check(lakeNoncurrentDays >= 1, "lakeNoncurrentDays must be positive");
            check(athenaResultDays >= 1, "athenaResultDays must be positive");
            // Athena's own minimum for the per-query cutoff is 10 MB.
            check(athenaBytesScannedCutoff >= 10_000_000L, "athenaBytesScannedCutoff must be at least 10 MB");
            check(iteratorAgeAlarmMillis >= 1000, "iteratorAgeAlarmMillis must be at least one second");
            check(quarantineAlarmPercent > 0 && quarantineAlarmPercent <= 100, "quarantineAlarmPercent must be in (0, 100]");
            check(deleteAlarmRequestsPerHour >= 1, "deleteAlarmRequestsPerHour must be positive");
            check(rawRetentionDays >= 1, "rawRetentionDays must be positive: " + rawRetentionDays);
            requireNonNull(glueJarName, "glueJarName");
            check(glueJarName.matches("[A-Za-z0-9._-]+\\.jar"), "glueJarName must be a jar file name: " + glueJarName);
            alarmEmail.ifPresent(email -> check(email.contains("@"), "alarmEmail is not an address: " + email));
            return new SluiceSettings(envName, streamCapacity, shardCount, streamRetentionHours, emrMaxVcpu,
                    emrMaxMemoryGb, emrMaxDiskGb, emrIdleTimeoutMinutes, emrArchitecture, vpcId, availabilityZones,
                    subnetIds, routeTableIds,
                    glueWorkerType, glueWorkerCount, maintenanceSchedule, martsSchedule, logRetentionDays, checkpointNoncurrentDays,
                    lakeNoncurrentDays, athenaResultDays, athenaBytesScannedCutoff, iteratorAgeAlarmMillis,
                    quarantineAlarmPercent, deleteAlarmRequestsPerHour, rawRetentionDays, retainData, alarmEmail,
                    notebooksDir, glueJarName);
        }

        private static void check(boolean condition, String message)
        {
            if (!condition) {
                throw new IllegalArgumentException(message);
            }
        }
    }
}
