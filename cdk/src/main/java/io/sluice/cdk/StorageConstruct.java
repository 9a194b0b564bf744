package io.sluice.cdk;


import static java.util.Objects.requireNonNull;

import io.sluice.submit.ArtifactsLayout;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.AccountRootPrincipal;
import software.amazon.awscdk.services.iam.AnyPrincipal;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.BucketMetrics;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.constructs.Construct;

/**
 * The three buckets. Names are left to CloudFormation (bucket names are global) and published as outputs.
 *
 * <ul>
 *   <li><b>lake</b>: the Delta tables and streaming checkpoints; SSE-KMS with the CMK, versioned, so an
 *       accidental overwrite or delete can be undone. Lifecycle expires old versions (what Delta VACUUM and
 *       Spark's checkpoint cleanup leave behind) rather than current data.</li>
 *   <li><b>artifacts</b>: the application jar, the Glue launcher script, Athena results, Glue temp files,
 *       EMR Serverless logs; SSE-KMS, versioned (a bad jar upload can be rolled back).</li>
 *   <li><b>logs</b>: S3 server access logs of the other two. S3 can only deliver access logs to a bucket
 *       encrypted with SSE-S3, not SSE-KMS, so this one bucket uses S3-managed keys.</li>
 * </ul>
 */
public final class StorageConstruct extends Construct
{

    /** Key prefixes in the lake bucket: the streaming and batch jobs and the Glue tables agree on these. */
    public static final String BRONZE_PREFIX = "bronze/";
    public static final String SILVER_PREFIX = "silver/";
    public static final String QUARANTINE_PREFIX = "quarantine/";
    /** The gold marts, built from silver (spark-app's GoldMarts). */
    public static final String GOLD_PREFIX = "gold/";
    /** The audit table: the stream writes a row per batch, and backfill reads it for the stream's watermark. */
    public static final String AUDIT_PREFIX = "audit/";
    public static final String CHECKPOINTS_PREFIX = "checkpoints/";

    /** Key prefixes in the artifacts bucket; sluice submit uploads to and logs below the first and the last. */
    public static final String JARS_PREFIX = ArtifactsLayout.JARS_PREFIX;
    public static final String GLUE_SCRIPTS_PREFIX = "glue/";
    public static final String GLUE_TEMP_PREFIX = "glue-temp/";
    public static final String ATHENA_RESULTS_PREFIX = "athena-results/";
    public static final String EMR_LOGS_PREFIX = ArtifactsLayout.EMR_LOGS_PREFIX;
    /** spark-app's shaded jar (classifier emr): EMR Serverless' entryPoint. */
    public static final String APPLICATION_JAR = JARS_PREFIX + "sluice-spark-app-emr.jar";
    /**
     * glue-jobs' shaded jar (classifier glue): the same application plus the Glue entry point, Glue's --extra-jars.
     * Its name carries the version and, when built before the synth, its digest ({@link SluiceSettings#glueJarName()}).
     */
    public static String glueJar(SluiceSettings settings)
    {
        return JARS_PREFIX + settings.glueJarName();
    }

    /** The filter id of the lake's request metrics (CloudWatch AWS/S3, dimension FilterId). */
    public static final String REQUEST_METRICS_ID = "all-requests";
    /**
     * What the lake's bucket policy denies to everyone but the break-glass role (and CloudFormation's deployment
     * role, which must keep applying the lifecycle rules and this policy): deleting an object version for good,
     * and the settings that would let versions disappear or stop being kept.
     */
    public static final List<String> PROTECTED_ACTIONS = List.of(
            "s3:DeleteObjectVersion", "s3:PutBucketVersioning", "s3:PutLifecycleConfiguration",
            "s3:PutBucketPolicy", "s3:DeleteBucketPolicy");

    private final Bucket logs;
    private final Bucket lake;
    private final Bucket artifacts;
    private final Role breakGlass;

    public StorageConstruct(Construct scope, String id, SluiceSettings settings, IKey key)
    {
        super(scope, id);
        requireNonNull(settings, "settings");
        requireNonNull(key, "key");
        RemovalPolicy removal = settings.retainData() ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

        this.logs = Bucket.Builder.create(this, "Logs")
                .encryption(BucketEncryption.S3_MANAGED)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .enforceSsl(true)
                .minimumTlsVersion(1.2)
                // Server access log delivery needs bucket-owner-enforced ownership (no ACLs) plus the bucket
                // policy CDK adds for logging.s3.amazonaws.com when another bucket names this one as target.
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .versioned(false)
                .lifecycleRules(List.of(LifecycleRule.builder()
                        .id("expire-access-logs")
                        .expiration(Duration.days(settings.logRetentionDays()))
                        .abortIncompleteMultipartUploadAfter(Duration.days(1))
                        .build()))
                .removalPolicy(removal)
                .build();
        this.lake = dataBucket("Lake", key, logs, "lake/")
                .lifecycleRules(List.of(
                        LifecycleRule.builder()
                                .id("expire-old-checkpoint-versions")
                                .prefix(CHECKPOINTS_PREFIX)
                                .noncurrentVersionExpiration(Duration.days(settings.checkpointNoncurrentDays()))
                                .expiredObjectDeleteMarker(true)
                                .build(),
                        LifecycleRule.builder()
                                .id("expire-old-data-versions")
                                .noncurrentVersionExpiration(Duration.days(settings.lakeNoncurrentDays()))
                                .abortIncompleteMultipartUploadAfter(Duration.days(7))
                                .build()))
                // Request metrics (DeleteRequests) for the delete-volume alarm; S3 publishes none by default.
                .metrics(List.of(BucketMetrics.builder().id(REQUEST_METRICS_ID).build()))
                .removalPolicy(removal)
                .build();

        // Recovery depends on old versions existing: only a named person-role may remove them or change the rules
        // that keep them. Assuming it needs MFA, and CloudTrail records who did.
        Stack stack = Stack.of(this);
        String breakGlassName = settings.prefix() + "-break-glass";
        this.breakGlass = Role.Builder.create(this, "BreakGlassRole")
                .roleName(breakGlassName)
                .description("Sluice " + settings.envName() + ": restore or purge lake object versions (docs/deploy.md)")
                .assumedBy(new AccountRootPrincipal().withConditions(Map.of(
                        "Bool", Map.of("aws:MultiFactorAuthPresent", "true"))))
                .maxSessionDuration(Duration.hours(1))
                .build();
        breakGlass.addToPolicy(PolicyStatement.Builder.create()
                .sid("ManageLakeVersions")
                .effect(Effect.ALLOW)
                .actions(List.of("s3:ListBucket", "s3:ListBucketVersions", "s3:GetBucketVersioning",
                        "s3:GetLifecycleConfiguration", "s3:PutBucketVersioning", "s3:PutLifecycleConfiguration"))
                .resources(List.of(lake.getBucketArn()))
                .build());
        breakGlass.addToPolicy(PolicyStatement.Builder.create()
                .sid("RestoreLakeObjects")
                .effect(Effect.ALLOW)
                .actions(List.of("s3:GetObject", "s3:GetObjectVersion", "s3:PutObject", "s3:DeleteObject",
                        "s3:DeleteObjectVersion"))
                .resources(List.of(lake.arnForObjects("*")))
                .build());
        breakGlass.addToPolicy(PolicyStatement.Builder.create()
                .sid("UseKeyThroughS3")
                .effect(Effect.ALLOW)
                .actions(List.of("kms:Decrypt", "kms:GenerateDataKey"))
                .resources(List.of(key.getKeyArn()))
                .conditions(Map.of("StringEquals", Map.of("kms:ViaService", "s3." + stack.getRegion() + ".amazonaws.com")))
                .build());
        Nag.suppress(breakGlass, "AwsSolutions-IAM5",
                "The break-glass role restores or purges any object version of this one lake bucket, which is its "
                        + "whole purpose; nothing outside the bucket.",
                List.of("Resource::<StorageLake#.Arn>/*"));
        lake.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid("OnlyBreakGlassRemovesVersions")
                .effect(Effect.DENY)
                .principals(List.of(new AnyPrincipal()))
                .actions(PROTECTED_ACTIONS)
                .resources(List.of(lake.getBucketArn(), lake.arnForObjects("*")))
                .conditions(Map.of("ArnNotLike", Map.of("aws:PrincipalArn", List.of(
                        stack.formatArn(ArnComponents.builder().service("iam").region("").resource("role")
                                .resourceName(breakGlassName).arnFormat(ArnFormat.SLASH_RESOURCE_NAME).build()),
                        // The CDK bootstrap's CloudFormation execution role (any qualifier) deploys this stack.
                        stack.formatArn(ArnComponents.builder().service("iam").region("").resource("role")
                                .resourceName("cdk-*-cfn-exec-role-*").arnFormat(ArnFormat.SLASH_RESOURCE_NAME)
                                .build())))))
                .build());

        this.artifacts = dataBucket("Artifacts", key, logs, "artifacts/")
                .lifecycleRules(List.of(
                        LifecycleRule.builder()
                                .id("expire-athena-results")
                                .prefix(ATHENA_RESULTS_PREFIX)
                                .expiration(Duration.days(settings.athenaResultDays()))
                                .noncurrentVersionExpiration(Duration.days(1))
                                .build(),
                        LifecycleRule.builder()
                                .id("expire-glue-temp")
                                .prefix(GLUE_TEMP_PREFIX)
                                .expiration(Duration.days(7))
                                .noncurrentVersionExpiration(Duration.days(1))
                                .build(),
                        LifecycleRule.builder()
                                .id("expire-emr-logs")
                                .prefix(EMR_LOGS_PREFIX)
                                .expiration(Duration.days(settings.logRetentionDays()))
                                .noncurrentVersionExpiration(Duration.days(1))
                                .build(),
                        LifecycleRule.builder()
                                .id("expire-old-jar-versions")
                                .noncurrentVersionExpiration(Duration.days(90))
                                .abortIncompleteMultipartUploadAfter(Duration.days(7))
                                .build()))
                .removalPolicy(removal)
                .build();
    }

    /**
     * A bucket that holds data: KMS-encrypted with the stack's key, versioned, private, TLS 1.2+ only, access-logged.
     * The lake and the artifacts bucket differ only in their lifecycle rules.
     */
    private Bucket.Builder dataBucket(String id, IKey key, Bucket logs, String logPrefix)
    {
        return Bucket.Builder.create(this, id)
                .encryption(BucketEncryption.KMS)
                .encryptionKey(key)
                // S3 Bucket Keys cut KMS requests (and cost) by orders of magnitude for many small Delta files.
                .bucketKeyEnabled(true)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .enforceSsl(true)
                .minimumTlsVersion(1.2)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .versioned(true)
                .serverAccessLogsBucket(logs)
                .serverAccessLogsPrefix(logPrefix);
    }

    public Bucket logs()
    {
        return logs;
    }

    public Bucket lake()
    {
        return lake;
    }

    public Role breakGlass()
    {
        return breakGlass;
    }

    public Bucket artifacts()
    {
        return artifacts;
    }

    /** {@code s3://<lake>/<prefix>}, as Spark and Glue want locations. */
    public String lakeUri(String prefix)
    {
        return "s3://" + lake.getBucketName() + "/" + prefix;
    }

    public String artifactsUri(String key)
    {
        return "s3://" + artifacts.getBucketName() + "/" + key;
    }
}
