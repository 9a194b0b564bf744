package io.sluice.cdk;

import static java.util.Objects.requireNonNull;

import io.sluice.submit.StackOutputs;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Tags;
import software.constructs.Construct;

/**
 * One deployment of Sluice: wires the constructs together and publishes, as stack outputs, everything a
 * person or script needs to submit the streaming job and the batch jobs and to query the result. The outputs
 * {@code sluice submit --stack-outputs} reads are named by {@link StackOutputs}.
 */
public final class SluiceStack extends Stack
{

    private final EncryptionConstruct encryption;
    private final StorageConstruct storage;
    private final NetworkConstruct network;
    private final AccessConstruct access;
    private final StreamConstruct stream;
    private final CatalogConstruct catalog;
    private final EmrServerlessConstruct emr;
    private final GlueJobsConstruct glueJobs;
    private final AthenaConstruct athena;
    private final MonitoringConstruct monitoring;

    public SluiceStack(Construct scope, String id, StackProps props, SluiceSettings settings, CatalogModel model)
    {
        super(scope, id, props);
        requireNonNull(settings, "settings");
        requireNonNull(model, "model");
        Tags.of(this).add("project", "sluice");
        Tags.of(this).add("environment", settings.envName());

        this.encryption = new EncryptionConstruct(this, "Encryption", settings);
        this.storage = new StorageConstruct(this, "Storage", settings, encryption.key());
        this.network = new NetworkConstruct(this, "Network", settings, storage.logs());
        this.stream = new StreamConstruct(this, "Stream", settings, encryption.key());
        this.catalog = new CatalogConstruct(this, "Catalog", settings, storage, model);
        this.emr = new EmrServerlessConstruct(this, "Emr", settings, encryption.key(), storage, stream.stream(), catalog,
                network, settings.metricsNamespace());
        this.glueJobs = new GlueJobsConstruct(this, "Glue", settings, encryption.key(), storage, catalog, network,
                settings.metricsNamespace());
        this.athena = new AthenaConstruct(this, "Athena", settings, encryption.key(), storage, catalog);
        this.access = new AccessConstruct(this, "Access", settings, encryption.key(), storage, catalog,
                athena.workGroup(), emr);
        this.monitoring = new MonitoringConstruct(this, "Monitoring", settings, encryption.key(), stream.stream(),
                emr.applicationId(), glueJobs.jobs().values(), athena.workGroup().getName(), storage.lake());
        List<String> logGroups = new ArrayList<>();
        logGroups.add(emr.logGroup().getLogGroupArn());
        glueJobs.logGroups().forEach(group -> logGroups.add(group.getLogGroupArn()));
        EndpointPolicies.apply(network, storage, stream.stream(), catalog, encryption.key(), settings.metricsNamespace(),
                logGroups);

        output(StackOutputs.KEY_ARN, encryption.key().getKeyArn(), "KMS key of the stream, buckets, logs and results");
        output(StackOutputs.LAKE_BUCKET_NAME, storage.lake().getBucketName(), "Delta tables and streaming checkpoints");
        output("SilverUri", storage.lakeUri(StorageConstruct.SILVER_PREFIX), "Silver Delta tables: <SilverUri><table>/");
        output("QuarantineUri", storage.lakeUri(StorageConstruct.QUARANTINE_PREFIX), "Quarantined records");
        output(StackOutputs.CHECKPOINTS_URI, storage.lakeUri(StorageConstruct.CHECKPOINTS_PREFIX), "Streaming checkpoints");
        output(StackOutputs.ARTIFACTS_BUCKET_NAME, storage.artifacts().getBucketName(), "Jar, Glue launcher, Athena results, EMR logs");
        output("ApplicationJarUri", storage.artifactsUri(StorageConstruct.APPLICATION_JAR),
                "Upload spark-app's -emr jar here (EMR entryPoint)");
        output("GlueJarUri", storage.artifactsUri(StorageConstruct.glueJar(settings)),
                "Upload glue-jobs' -glue jar here (Glue --extra-jars)");
        output("GlueLauncherScriptUri", storage.artifactsUri(GlueJobsConstruct.LAUNCHER_SCRIPT),
                "Upload cdk/glue/" + GlueJobsConstruct.LAUNCHER_CLASS + ".scala here");
        output("LogsBucketName", storage.logs().getBucketName(), "S3 server access logs");
        output(StackOutputs.STREAM_NAME, stream.stream().getStreamName(), "Kinesis stream the CloudEvents are put on");
        output(StackOutputs.STREAM_ARN, stream.stream().getStreamArn(), "Kinesis stream ARN");
        output("GlueDatabase", catalog.databaseName(), "Glue Data Catalog database of the silver tables (analysts)");
        output("RawGlueDatabase", catalog.rawDatabaseName(), "Restricted database of bronze and quarantine (raw payloads)");
        output(StackOutputs.METRICS_NAMESPACE, settings.metricsNamespace(), "CloudWatch namespace of the jobs' metrics");
        output("AnalystPolicyArn", access.analyst().getManagedPolicyArn(), "Attach to analysts' roles: Athena on silver and marts");
        output("OperatorPolicyArn", access.operator().getManagedPolicyArn(), "Attach to whoever runs sluice submit");
        output("BreakGlassRoleArn", storage.breakGlass().getRoleArn(), "Restores or purges lake object versions (MFA)");
        output("VpcId", network.vpc().getVpcId(), "VPC the jobs run in");
        output("SchemaRegistryName", catalog.registry().getName(), "Glue Schema Registry of the contracts");
        output(StackOutputs.EMR_APPLICATION_ID, emr.applicationId(), "aws emr-serverless start-job-run --application-id");
        output(StackOutputs.EMR_JOB_ROLE_ARN, emr.jobRole().getRoleArn(), "aws emr-serverless start-job-run --execution-role-arn");
        output(StackOutputs.EMR_LOG_GROUP, emr.logGroup().getLogGroupName(), "Driver and executor logs of the job runs");
        output("StreamingSparkSubmitParameters", SparkDefaults.streamingSubmitParameters(),
                "sparkSubmitParameters for the streaming job (Delta and Glue settings are application defaults)");
        output("GlueJobNames", String.join(",", glueJobs.jobs().values().stream().map(j -> j.getName()).sorted().toList()),
                "aws glue start-job-run --job-name");
        output("AthenaWorkGroup", athena.workGroup().getName(), "aws athena start-query-execution --work-group");
        output("AlarmTopicArn", monitoring.topic().getTopicArn(), "Subscribe to receive alarms");
    }

    private void output(String id, String value, String description)
    {
        CfnOutput.Builder.create(this, id).value(value).description(description).build();
    }

    public EncryptionConstruct encryption()
    {
        return encryption;
    }
    public StorageConstruct storage()
    {
        return storage;
    }
    public NetworkConstruct network()
    {
        return network;
    }
    public AccessConstruct access()
    {
        return access;
    }
    public StreamConstruct stream()
    {
        return stream;
    }
    public CatalogConstruct catalog()
    {
        return catalog;
    }
    public EmrServerlessConstruct emr()
    {
        return emr;
    }
    public GlueJobsConstruct glueJobs()
    {
        return glueJobs;
    }
    public AthenaConstruct athena()
    {
        return athena;
    }
    public MonitoringConstruct monitoring()
    {
        return monitoring;
    }
}
