package io.sluice.cdk;

import static java.util.Objects.requireNonNull;

import io.sluice.glue.GlueArguments;
import io.sluice.glue.GlueJobDefinition;
import io.sluice.glue.GlueJobDefinitions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.glue.CfnConnection;
import software.amazon.awscdk.services.glue.CfnJob;
import software.amazon.awscdk.services.glue.CfnSecurityConfiguration;
import software.amazon.awscdk.services.glue.CfnTrigger;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyDocument;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.logs.CfnLogGroup;
import software.amazon.awscdk.services.logs.LogGroup;
import software.constructs.Construct;

/**
 * The batch side on AWS Glue 6.0: one Spark job per command ({@code backfill}, {@code replay},
 * {@code maintain}, {@code marts}) running {@code io.sluice.glue.GlueEntryPoint} from the Glue jar, a security
 * configuration that encrypts their S3 output, logs and bookmarks with the CMK, a schedule for
 * {@code maintain} (OPTIMIZE/VACUUM-style upkeep that should not wait for a person) and an hourly one for
 * {@code marts} (the gold marts, built incrementally from silver).
 *
 * <p>What each job is (size, time limit, the arguments Glue starts it with) comes from glue-jobs'
 * glue-jobs.conf ({@link GlueJobDefinitions}); this construct adds what names the deployment: the role,
 * the jar's and the script's places, the temp dir, the lake, the database. {@code glueWorkerType} and
 * {@code glueWorkerCount} in {@link SluiceSettings}, when set, resize every job.
 *
 * <p>Glue runs JVM jobs as Scala jobs: {@code --class} names the entry object and {@code --extra-jars}
 * adds the jar. Glue still wants a script at ScriptLocation, so a two-line Scala launcher that delegates
 * to {@code GlueEntryPoint} is uploaded next to the jar (cdk/glue/SluiceGlueLauncher.scala, see
 * docs/deploy.md); Glue compiles it against the jar, which also proves the entry point is there.
 */
public final class GlueJobsConstruct extends Construct
{

    public static final List<String> COMMANDS = GlueArguments.COMMANDS;
    public static final String LAUNCHER_CLASS = "SluiceGlueLauncher";
    public static final String LAUNCHER_SCRIPT = StorageConstruct.GLUE_SCRIPTS_PREFIX + LAUNCHER_CLASS + ".scala";
    public static final String GLUE_VERSION = "6.0";

    /** The configuration key (spark-app's ConfigKeys) maintain's raw-data retention is set by. */
    static final String RAW_RETENTION_KEY = "maintain.raw-retention-days";

    private final Role role;
    private final String logGroupPrefix;
    private final List<LogGroup> logGroups = new ArrayList<>();
    private final CfnConnection connection;
    private final CfnSecurityConfiguration securityConfiguration;
    private final Map<String, CfnJob> jobs = new LinkedHashMap<>();
    private final CfnTrigger maintenanceTrigger;
    private final CfnTrigger martsTrigger;

    public GlueJobsConstruct(Construct scope, String id, SluiceSettings settings, IKey key, StorageConstruct storage,
                             CatalogConstruct catalog, NetworkConstruct network, String metricsNamespace)
                             {
        super(scope, id);
        requireNonNull(network, "network");
        requireNonNull(metricsNamespace, "metricsNamespace");
        requireNonNull(settings, "settings");
        requireNonNull(key, "key");
        requireNonNull(storage, "storage");
        requireNonNull(catalog, "catalog");

        this.securityConfiguration = CfnSecurityConfiguration.Builder.create(this, "SecurityConfiguration")
                .name(settings.prefix() + "-glue")
                .encryptionConfiguration(CfnSecurityConfiguration.EncryptionConfigurationProperty.builder()
                        .s3Encryptions(List.of(CfnSecurityConfiguration.S3EncryptionProperty.builder()
                                .s3EncryptionMode("SSE-KMS").kmsKeyArn(key.getKeyArn()).build()))
                        .cloudWatchEncryption(CfnSecurityConfiguration.CloudWatchEncryptionProperty.builder()
                                .cloudWatchEncryptionMode("SSE-KMS").kmsKeyArn(key.getKeyArn()).build())
                        // Bookmarks are off in every job (glue-jobs.conf); CSE-KMS would have the role use the key
                        // directly rather than through a service.
                        .jobBookmarksEncryption(CfnSecurityConfiguration.JobBookmarksEncryptionProperty.builder()
                                .jobBookmarksEncryptionMode("DISABLED").build())
                        .build())
                .build();

        // Glue 5.0+ writes to <prefix>/output and <prefix>/error when given --custom-logGroup-prefix: created here,
        // so they have the key and a retention rather than Glue's unencrypted, never-expiring defaults.
        this.logGroupPrefix = "/aws-glue/" + settings.prefix();
        for (String stream : List.of("output", "error")) {
            LogGroup group = LogGroup.Builder.create(this, "Logs-" + stream)
                    .logGroupName(logGroupPrefix + "/" + stream)
                    .encryptionKey(key)
                    .removalPolicy(settings.retainData() ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY)
                    .build();
            ((CfnLogGroup) group.getNode().getDefaultChild()).setRetentionInDays(settings.logRetentionDays());
            logGroups.add(group);
        }

        // A NETWORK connection puts the jobs' workers in the VPC's private subnets, where they reach AWS through
        // the endpoints only. A connection names one subnet.
        this.connection = CfnConnection.Builder.create(this, "Connection")
                .catalogId(Stack.of(this).getAccount())
                .connectionInput(CfnConnection.ConnectionInputProperty.builder()
                        .name(settings.prefix() + "-network")
                        .description("Sluice " + settings.envName() + ": Glue jobs in the private subnets")
                        .connectionType("NETWORK")
                        .physicalConnectionRequirements(CfnConnection.PhysicalConnectionRequirementsProperty.builder()
                                .subnetId(network.glueSubnet().getSubnetId())
                                .availabilityZone(network.glueSubnet().getAvailabilityZone())
                                .securityGroupIdList(List.of(network.glueGroup().getSecurityGroupId()))
                                .build())
                        .build())
                .build();

        this.role = Role.Builder.create(this, "JobRole")
                .roleName(settings.prefix() + "-glue-job")
                .description("Sluice " + settings.envName() + " Glue batch job role (backfill, replay, maintain)")
                .assumedBy(new ServicePrincipal("glue.amazonaws.com").withConditions(Map.of(
                        "StringEquals", Map.of("aws:SourceAccount", Stack.of(this).getAccount()))))
                .inlinePolicies(Map.of("sluice-job", PolicyDocument.Builder.create()
                        .statements(statements(storage, catalog, key, network, metricsNamespace))
                        .build()))
                .build();
        Nag.suppress(role, "AwsSolutions-IAM5",
                "Wildcards only below resources this stack owns: object keys under the lake's data prefixes, the "
                        + "jar, Glue script and Glue temp prefixes, tables of this stack's database, schemas of its "
                        + "registry. Logs are scoped to this deployment's /aws-glue/<prefix> groups (Glue may add a "
                        + "suffix for the security configuration). PutMetricData and the EC2 Describe calls have no "
                        + "resource-level permissions and are held to a namespace or the region by condition; new "
                        + "network interfaces have no ARN before they exist.",
                glueFindings(settings));

        for (GlueJobDefinition definition : GlueJobDefinitions.load().values()) {
            String command = definition.command();
            GlueJobDefinition sized = definition.withSize(settings.glueWorkerType().orElse(definition.workerType()),
                    settings.glueWorkerCount().orElse(definition.workers()));
            CfnJob job = CfnJob.Builder.create(this, "Job-" + command)
                    .name(settings.prefix() + "-" + command)
                    .description("Sluice " + command + ": io.sluice.glue.GlueEntryPoint --command " + command)
                    .role(role.getRoleArn())
                    .glueVersion(GLUE_VERSION)
                    .command(CfnJob.JobCommandProperty.builder()
                            .name("glueetl")
                            .scriptLocation(storage.artifactsUri(LAUNCHER_SCRIPT))
                            .build())
                    .workerType(sized.workerType())
                    .numberOfWorkers(sized.workers())
                    .securityConfiguration(securityConfiguration.getName())
                    .connections(CfnJob.ConnectionsListProperty.builder()
                            .connections(List.of(connectionName(settings))).build())
                    .executionProperty(CfnJob.ExecutionPropertyProperty.builder()
                            .maxConcurrentRuns(sized.maxConcurrentRuns()).build())
                    .maxRetries(sized.maxRetries())
                    .timeout(sized.timeoutMinutes())
                    .defaultArguments(defaultArguments(settings, storage, catalog, sized, logGroupPrefix))
                    .build();
            Nag.suppress(job, "AwsSolutions-GL3",
                    "Job bookmarks are off in every job (--job-bookmark-option job-bookmark-disable: Sluice picks its "
                            + "input by --from/--to), so there is nothing to encrypt; CSE-KMS bookmark encryption would "
                            + "need the role to call KMS directly instead of only through S3, Kinesis and Logs.");
            // The job names its security configuration by name, which CloudFormation can't see as a reference.
            job.addResourceDependency(securityConfiguration);
            job.addResourceDependency(connection);
            jobs.put(command, job);
        }

        this.maintenanceTrigger = CfnTrigger.Builder.create(this, "MaintenanceSchedule")
                .name(settings.prefix() + "-maintain-schedule")
                .description("Runs maintain on a schedule")
                .type("SCHEDULED")
                .schedule(settings.maintenanceSchedule())
                .startOnCreation(true)
                .actions(List.of(CfnTrigger.ActionProperty.builder()
                        .jobName(jobs.get("maintain").getName())
                        .build()))
                .build();
        maintenanceTrigger.addResourceDependency(jobs.get("maintain"));

        this.martsTrigger = CfnTrigger.Builder.create(this, "MartsSchedule")
                .name(settings.prefix() + "-marts-schedule")
                .description("Runs marts on a schedule: the gold marts follow silver")
                .type("SCHEDULED")
                .schedule(settings.martsSchedule())
                .startOnCreation(true)
                .actions(List.of(CfnTrigger.ActionProperty.builder()
                        .jobName(jobs.get("marts").getName())
                        .build()))
                .build();
        martsTrigger.addResourceDependency(jobs.get("marts"));
    }

    private static List<String> glueFindings(SluiceSettings settings)
    {
        List<String> findings = new ArrayList<>(LakeAccess.wildcardFindings(settings));
        findings.add("Resource::<StorageArtifacts#.Arn>/" + StorageConstruct.GLUE_SCRIPTS_PREFIX + "*");
        findings.add("Resource::<StorageArtifacts#.Arn>/" + StorageConstruct.GLUE_TEMP_PREFIX + "*");
        findings.add("Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:/aws-glue/"
                + settings.prefix() + "*");
        findings.add("Resource::arn:<AWS::Partition>:ec2:<AWS::Region>:<AWS::AccountId>:network-interface/*");
        return findings;
    }

    /** The definition's arguments plus those that name this deployment's resources. */
    private static String connectionName(SluiceSettings settings)
    {
        return settings.prefix() + "-network";
    }

    private static Map<String, String> defaultArguments(SluiceSettings settings, StorageConstruct storage,
                                                        CatalogConstruct catalog, GlueJobDefinition definition,
                                                        String logGroupPrefix)
                                                        {
        if (!LAUNCHER_CLASS.equals(definition.arguments().get("--class"))) {
            throw new IllegalStateException("glue-jobs.conf names --class " + definition.arguments().get("--class")
                    + " but the launcher uploaded to " + LAUNCHER_SCRIPT + " is " + LAUNCHER_CLASS);
        }
        Map<String, String> args = new LinkedHashMap<>(definition.arguments());
        args.put("--extra-jars", storage.artifactsUri(StorageConstruct.glueJar(settings)));
        args.put("--TempDir", storage.artifactsUri(StorageConstruct.GLUE_TEMP_PREFIX));
        // Read by GlueEntryPoint; Glue passes every argument to main() as "--key value".
        args.put("--lake", storage.lakeUri(""));
        args.put("--database", catalog.databaseName());
        args.put("--environment", settings.envName());
        args.put("--custom-logGroup-prefix", logGroupPrefix);
        if ("maintain".equals(definition.command())) {
            // Bronze and quarantine keep payloads as received (possibly personal data) only this long.
            args.put("--" + RAW_RETENTION_KEY, String.valueOf(settings.rawRetentionDays()));
        }
        return args;
    }

    private List<PolicyStatement> statements(StorageConstruct storage, CatalogConstruct catalog, IKey key,
                                             NetworkConstruct network, String metricsNamespace)
                                             {
        Stack stack = Stack.of(this);
        List<PolicyStatement> statements = new ArrayList<>(LakeAccess.statements(storage, catalog, key,
                metricsNamespace, LakeAccess.Deletes.DATA_FILES));
        statements.add(LakeAccess.statement("ReadGlueScripts", List.of("s3:GetObject"),
                List.of(storage.artifacts().arnForObjects(StorageConstruct.GLUE_SCRIPTS_PREFIX + "*"))));
        statements.add(LakeAccess.statement("UseGlueTempDir",
                List.of("s3:GetObject", "s3:PutObject", "s3:DeleteObject"),
                List.of(storage.artifacts().arnForObjects(StorageConstruct.GLUE_TEMP_PREFIX + "*"))));
        statements.add(LakeAccess.statement("ListArtifacts", List.of("s3:ListBucket", "s3:GetBucketLocation"),
                List.of(storage.artifacts().getBucketArn())));
        // The stack creates the two groups; Glue may name them with a suffix for the security configuration, so
        // the role may create and write groups below this deployment's prefix (and no other Glue log group).
        statements.add(LakeAccess.statement("WriteGlueLogs",
                List.of("logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "logs:AssociateKmsKey"),
                List.of(stack.formatArn(ArnComponents.builder()
                        .service("logs").resource("log-group").resourceName(logGroupPrefix + "*")
                        .arnFormat(ArnFormat.COLON_RESOURCE_NAME).build()))));
        // Glue creates the workers' network interfaces in the connection's subnet with the job role.
        statements.add(PolicyStatement.Builder.create()
                .sid("DescribeNetwork")
                .effect(Effect.ALLOW)
                .actions(List.of("ec2:DescribeVpcEndpoints", "ec2:DescribeRouteTables", "ec2:DescribeSubnets",
                        "ec2:DescribeSecurityGroups", "ec2:DescribeVpcAttribute", "ec2:DescribeNetworkInterfaces"))
                .resources(List.of("*"))
                .conditions(Map.of("StringEquals", Map.of("ec2:Region", stack.getRegion())))
                .build());
        statements.add(LakeAccess.statement("ManageJobNetworkInterfaces",
                List.of("ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface", "ec2:CreateTags",
                        "ec2:DeleteTags"),
                List.of(ec2Arn("network-interface/*"), ec2Arn("subnet/" + network.glueSubnet().getSubnetId()),
                        ec2Arn("security-group/" + network.glueGroup().getSecurityGroupId()))));
        statements.add(PolicyStatement.Builder.create()
                .sid("PublishGlueMetrics")
                .effect(Effect.ALLOW)
                .actions(List.of("cloudwatch:PutMetricData"))
                .resources(List.of("*"))
                .conditions(Map.of("StringEquals", Map.of("cloudwatch:namespace", "Glue")))
                .build());
        return statements;
    }

    private String ec2Arn(String resource)
    {
        return Stack.of(this).formatArn(ArnComponents.builder().service("ec2").resource(resource.substring(0, resource.indexOf('/')))
                .resourceName(resource.substring(resource.indexOf('/') + 1)).arnFormat(ArnFormat.SLASH_RESOURCE_NAME).build());
    }

    public CfnConnection connection()
    {
        return connection;
    }

    public List<LogGroup> logGroups()
    {
        return List.copyOf(logGroups);
    }

    public Role role()
    {
        return role;
    }

    public CfnSecurityConfiguration securityConfiguration()
    {
        return securityConfiguration;
    }

    public Map<String, CfnJob> jobs()
    {
        return Map.copyOf(jobs);
    }

    public CfnTrigger maintenanceTrigger()
    {
        return maintenanceTrigger;
    }

    public CfnTrigger martsTrigger()
    {
        return martsTrigger;
    }
}
