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
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.glue.CfnJob;
import software.amazon.awscdk.services.glue.CfnSecurityConfiguration;
import software.amazon.awscdk.services.glue.CfnTrigger;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyDocument;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.IKey;
import software.constructs.Construct;

/**
 * The batch side on AWS Glue 6.0: one Spark job per command ({@code backfill}, {@code replay},
 * {@code maintain}) running {@code io.sluice.glue.GlueEntryPoint} from the Glue jar, a security
 * configuration that encrypts their S3 output, logs and bookmarks with the CMK, and a schedule for
 * {@code maintain} (OPTIMIZE/VACUUM-style upkeep that should not wait for a person).
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
public final class GlueJobsConstruct extends Construct {

    public static final List<String> COMMANDS = GlueArguments.COMMANDS;
    public static final String LAUNCHER_CLASS = "SluiceGlueLauncher";
    public static final String LAUNCHER_SCRIPT = StorageConstruct.GLUE_SCRIPTS_PREFIX + LAUNCHER_CLASS + ".scala";
    public static final String GLUE_VERSION = "6.0";

    private final Role role;
    private final CfnSecurityConfiguration securityConfiguration;
    private final Map<String, CfnJob> jobs = new LinkedHashMap<>();
    private final CfnTrigger maintenanceTrigger;

    public GlueJobsConstruct(Construct scope, String id, SluiceSettings settings, IKey key, StorageConstruct storage,
                             CatalogConstruct catalog) {
        super(scope, id);
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
                        .jobBookmarksEncryption(CfnSecurityConfiguration.JobBookmarksEncryptionProperty.builder()
                                .jobBookmarksEncryptionMode("CSE-KMS").kmsKeyArn(key.getKeyArn()).build())
                        .build())
                .build();

        this.role = Role.Builder.create(this, "JobRole")
                .roleName(settings.prefix() + "-glue-job")
                .description("Sluice " + settings.envName() + " Glue batch job role (backfill, replay, maintain)")
                .assumedBy(new ServicePrincipal("glue.amazonaws.com").withConditions(Map.of(
                        "StringEquals", Map.of("aws:SourceAccount", Stack.of(this).getAccount()))))
                .inlinePolicies(Map.of("sluice-job", PolicyDocument.Builder.create()
                        .statements(statements(storage, catalog, key))
                        .build()))
                .build();
        Nag.suppress(role, "AwsSolutions-IAM5",
                "Wildcards only below resources this stack owns: object keys under the lake's data prefixes, the "
                        + "jar, Glue script and Glue temp prefixes, tables of this stack's database, schemas of its "
                        + "registry. Glue names its log groups per job run under /aws-glue/, so logs are scoped to "
                        + "that path. PutMetricData has no resource-level permissions and is held to the Sluice and "
                        + "Glue namespaces by condition.",
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
                    .executionProperty(CfnJob.ExecutionPropertyProperty.builder()
                            .maxConcurrentRuns(sized.maxConcurrentRuns()).build())
                    .maxRetries(sized.maxRetries())
                    .timeout(sized.timeoutMinutes())
                    .defaultArguments(defaultArguments(settings, storage, catalog, sized))
                    .build();
            // The job names its security configuration by name, which CloudFormation can't see as a reference.
            job.addResourceDependency(securityConfiguration);
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
    }

    private static List<String> glueFindings(SluiceSettings settings) {
        List<String> findings = new ArrayList<>(LakeAccess.wildcardFindings(settings));
        findings.add("Resource::<StorageArtifacts#.Arn>/" + StorageConstruct.GLUE_SCRIPTS_PREFIX + "*");
        findings.add("Resource::<StorageArtifacts#.Arn>/" + StorageConstruct.GLUE_TEMP_PREFIX + "*");
        findings.add("Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:/aws-glue/*");
        return findings;
    }

    /** The definition's arguments plus those that name this deployment's resources. */
    private static Map<String, String> defaultArguments(SluiceSettings settings, StorageConstruct storage,
                                                        CatalogConstruct catalog, GlueJobDefinition definition) {
        if (!LAUNCHER_CLASS.equals(definition.arguments().get("--class"))) {
            throw new IllegalStateException("glue-jobs.conf names --class " + definition.arguments().get("--class")
                    + " but the launcher uploaded to " + LAUNCHER_SCRIPT + " is " + LAUNCHER_CLASS);
        }
        Map<String, String> args = new LinkedHashMap<>(definition.arguments());
        args.put("--extra-jars", storage.artifactsUri(StorageConstruct.GLUE_JAR));
        args.put("--TempDir", storage.artifactsUri(StorageConstruct.GLUE_TEMP_PREFIX));
        // Read by GlueEntryPoint; Glue passes every argument to main() as "--key value".
        args.put("--lake", storage.lakeUri(""));
        args.put("--database", catalog.databaseName());
        args.put("--environment", settings.envName());
        return args;
    }

    private List<PolicyStatement> statements(StorageConstruct storage, CatalogConstruct catalog, IKey key) {
        Stack stack = Stack.of(this);
        List<PolicyStatement> statements = new ArrayList<>(LakeAccess.statements(storage, catalog, key));
        statements.add(LakeAccess.statement("ReadGlueScripts", List.of("s3:GetObject"),
                List.of(storage.artifacts().arnForObjects(StorageConstruct.GLUE_SCRIPTS_PREFIX + "*"))));
        statements.add(LakeAccess.statement("UseGlueTempDir",
                List.of("s3:GetObject", "s3:PutObject", "s3:DeleteObject"),
                List.of(storage.artifacts().arnForObjects(StorageConstruct.GLUE_TEMP_PREFIX + "*"))));
        statements.add(LakeAccess.statement("ListArtifacts", List.of("s3:ListBucket", "s3:GetBucketLocation"),
                List.of(storage.artifacts().getBucketArn())));
        // CSE-KMS job bookmarks are encrypted by the job itself, not through a service.
        statements.add(LakeAccess.statement("EncryptGlueBookmarks", List.of("kms:Encrypt"), List.of(key.getKeyArn())));
        statements.add(LakeAccess.statement("WriteGlueLogs",
                List.of("logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "logs:AssociateKmsKey"),
                List.of(stack.formatArn(ArnComponents.builder()
                        .service("logs").resource("log-group").resourceName("/aws-glue/*")
                        .arnFormat(ArnFormat.COLON_RESOURCE_NAME).build()))));
        statements.add(PolicyStatement.Builder.create()
                .sid("PublishGlueMetrics")
                .effect(Effect.ALLOW)
                .actions(List.of("cloudwatch:PutMetricData"))
                .resources(List.of("*"))
                .conditions(Map.of("StringEquals", Map.of("cloudwatch:namespace", "Glue")))
                .build());
        return statements;
    }

    public Role role() {
        return role;
    }

    public CfnSecurityConfiguration securityConfiguration() {
        return securityConfiguration;
    }

    public Map<String, CfnJob> jobs() {
        return Map.copyOf(jobs);
    }

    public CfnTrigger maintenanceTrigger() {
        return maintenanceTrigger;
    }
}
