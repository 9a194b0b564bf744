package io.sluice.cdk;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.emrserverless.CfnApplication;
import software.amazon.awscdk.services.iam.PolicyDocument;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kinesis.IStream;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.logs.CfnLogGroup;
import software.amazon.awscdk.services.logs.LogGroup;
import software.constructs.Construct;

/**
 * The EMR Serverless Spark application the streaming job runs on, its CloudWatch log group, and the job
 * execution role. The application starts on job submission and stops when idle; its maximum capacity
 * caps what a runaway job can cost. The role can read this stream and no other, read and write this
 * lake's prefixes and this database's tables, use this key, and write these logs.
 */
public final class EmrServerlessConstruct extends Construct
{

    /** The EMR release: Spark 4.0.2, Delta 4.0.0, Java 17, Scala 2.13, as the parent pom builds against. */
    public static final String RELEASE_LABEL = "emr-spark-8.0.0";

    private final CfnApplication application;
    private final Role jobRole;
    private final LogGroup logGroup;

    public EmrServerlessConstruct(Construct scope, String id, SluiceSettings settings, IKey key,
                                  StorageConstruct storage, IStream stream, CatalogConstruct catalog,
                                  NetworkConstruct network, String metricsNamespace)
                                  {
        super(scope, id);
        requireNonNull(network, "network");
        requireNonNull(metricsNamespace, "metricsNamespace");
        requireNonNull(settings, "settings");
        requireNonNull(key, "key");
        requireNonNull(storage, "storage");
        requireNonNull(stream, "stream");
        requireNonNull(catalog, "catalog");
        Stack stack = Stack.of(this);

        this.logGroup = LogGroup.Builder.create(this, "Logs")
                .logGroupName("/aws/emr-serverless/" + settings.prefix())
                .encryptionKey(key)
                .removalPolicy(settings.retainData() ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY)
                .build();
        ((CfnLogGroup) logGroup.getNode().getDefaultChild()).setRetentionInDays(settings.logRetentionDays());

        CfnApplication.Builder app = CfnApplication.Builder.create(this, "Application")
                .name(settings.prefix())
                .releaseLabel(RELEASE_LABEL)
                .type("SPARK")
                .architecture(settings.emrArchitecture())
                .autoStartConfiguration(CfnApplication.AutoStartConfigurationProperty.builder().enabled(true).build())
                .autoStopConfiguration(CfnApplication.AutoStopConfigurationProperty.builder()
                        .enabled(true)
                        .idleTimeoutMinutes(settings.emrIdleTimeoutMinutes())
                        .build())
                .maximumCapacity(CfnApplication.MaximumAllowedResourcesProperty.builder()
                        .cpu(settings.emrMaxVcpu() + " vCPU")
                        .memory(settings.emrMaxMemoryGb() + " GB")
                        .disk(settings.emrMaxDiskGb() + " GB")
                        .build())
                // EMR Studio workspaces attach to the application for interactive (notebook) sessions, and tools that
                // speak Livy reach it through the application's Livy endpoint. Sessions run as the job role.
                .interactiveConfiguration(CfnApplication.InteractiveConfigurationProperty.builder()
                        .studioEnabled(true)
                        .livyEndpointEnabled(true)
                        .build())
                // Defaults for every job run; a start-job-run may still override its own.
                .monitoringConfiguration(CfnApplication.MonitoringConfigurationProperty.builder()
                        .cloudWatchLoggingConfiguration(CfnApplication.CloudWatchLoggingConfigurationProperty.builder()
                                .enabled(true)
                                .logGroupName(logGroup.getLogGroupName())
                                .encryptionKeyArn(key.getKeyArn())
                                .build())
                        .s3MonitoringConfiguration(CfnApplication.S3MonitoringConfigurationProperty.builder()
                                .logUri(storage.artifactsUri(StorageConstruct.EMR_LOGS_PREFIX))
                                .encryptionKeyArn(key.getKeyArn())
                                .build())
                        .build())
                .runtimeConfiguration(List.of(CfnApplication.ConfigurationObjectProperty.builder()
                        .classification("spark-defaults")
                        .properties(SparkDefaults.properties())
                        .build()));
        // Always in the VPC: EMR Serverless reaches Kinesis only from one (NetworkConstruct).
        app.networkConfiguration(CfnApplication.NetworkConfigurationProperty.builder()
                .subnetIds(network.subnetIds())
                .securityGroupIds(List.of(network.emrGroup().getSecurityGroupId()))
                .build());
        this.application = app.build();

        String applicationArn = stack.formatArn(ArnComponents.builder()
                .service("emr-serverless")
                .resource("/applications")
                .resourceName(application.getAttrApplicationId())
                .arnFormat(ArnFormat.SLASH_RESOURCE_NAME)
                .build());

        this.jobRole = Role.Builder.create(this, "JobRole")
                .roleName(settings.prefix() + "-emr-job")
                .description("Sluice " + settings.envName() + " EMR Serverless job runtime role")
                // Only job runs of this application may assume it (confused-deputy protection).
                .assumedBy(new ServicePrincipal("emr-serverless.amazonaws.com").withConditions(new TreeMap<>(Map.of(
                        "StringEquals", Map.of("aws:SourceAccount", stack.getAccount()),
                        "ArnLike", Map.of("aws:SourceArn", applicationArn)))))
                .inlinePolicies(Map.of("sluice-job", PolicyDocument.Builder.create()
                        .statements(statements(storage, stream, catalog, key, metricsNamespace))
                        .build()))
                .build();

        List<String> findings = new ArrayList<>(LakeAccess.wildcardFindings(settings));
        findings.add("Resource::<StorageArtifacts#.Arn>/" + StorageConstruct.EMR_LOGS_PREFIX + "*");
        findings.add("Resource::<Stream#.Arn>/consumer/*");
        findings.add("Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:*");
        Nag.suppress(jobRole, "AwsSolutions-IAM5",
                "Wildcards only below resources this stack owns: object keys under the lake's data prefixes and "
                        + "the jar and EMR log prefixes, tables of this stack's database, schemas of its registry, "
                        + "consumers of its stream. PutMetricData has no resource-level permissions and is held to "
                        + "the Sluice namespace by condition; DescribeLogGroups (which EMR Serverless calls before "
                        + "writing) can't be scoped below the account.",
                findings);
    }

    private List<PolicyStatement> statements(StorageConstruct storage, IStream stream, CatalogConstruct catalog,
                                             IKey key, String metricsNamespace)
                                             {
        Stack stack = Stack.of(this);
        List<PolicyStatement> statements = new ArrayList<>(LakeAccess.statements(storage, catalog, key,
                metricsNamespace, LakeAccess.Deletes.DELTA_CLEAN_UP_ONLY));
        statements.add(LakeAccess.statement("ReadStream",
                List.of("kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:ListShards",
                        "kinesis:GetShardIterator", "kinesis:GetRecords"),
                List.of(stream.getStreamArn())));
        // Enhanced fan-out: a consumer registered on this stream (by an operator) may be read through.
        statements.add(LakeAccess.statement("ReadStreamConsumers",
                List.of("kinesis:DescribeStreamConsumer", "kinesis:SubscribeToShard"),
                List.of(stream.getStreamArn() + "/consumer/*")));
        statements.add(LakeAccess.statement("WriteJobLogsToS3",
                List.of("s3:PutObject", "s3:GetObject"),
                List.of(storage.artifacts().arnForObjects(StorageConstruct.EMR_LOGS_PREFIX + "*"))));
        statements.add(LakeAccess.statement("WriteJobLogs",
                List.of("logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"),
                // The log group's ARN attribute ends in ':*', which covers its streams.
                List.of(logGroup.getLogGroupArn())));
        statements.add(LakeAccess.statement("FindLogGroup", List.of("logs:DescribeLogGroups"),
                List.of(stack.formatArn(ArnComponents.builder()
                        .service("logs").resource("log-group").resourceName("*")
                        .arnFormat(ArnFormat.COLON_RESOURCE_NAME).build()))));
        return statements;
    }

    public CfnApplication application()
    {
        return application;
    }

    public String applicationId()
    {
        return application.getAttrApplicationId();
    }

    public Role jobRole()
    {
        return jobRole;
    }

    public LogGroup logGroup()
    {
        return logGroup;
    }
}
