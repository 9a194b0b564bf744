package io.sluice.cdk;

import io.sluice.lake.Lake;

import static java.util.Objects.requireNonNull;

import io.sluice.submit.ArtifactsLayout;
import java.util.List;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
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
public final class StorageConstruct extends Construct {

    /** Key prefixes in the lake bucket: the streaming and batch jobs and the Glue tables agree on these. */
    public static final String BRONZE_PREFIX = "bronze/";
    public static final String SILVER_PREFIX = "silver/";
    public static final String QUARANTINE_PREFIX = "quarantine/";
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
    /** glue-jobs' shaded jar (classifier glue): the same application plus the Glue entry point, Glue's --extra-jars. */
    public static final String GLUE_JAR = JARS_PREFIX + "sluice-glue-jobs-glue.jar";

    private final Bucket logs;
    private final Bucket lake;
    private final Bucket artifacts;

    public StorageConstruct(Construct scope, String id, SluiceSettings settings, IKey key) {
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
                .removalPolicy(removal)
                .build();

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
    private Bucket.Builder dataBucket(String id, IKey key, Bucket logs, String logPrefix) {
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

    public Bucket logs() {
        return logs;
    }

    public Bucket lake() {
        return lake;
    }

    public Bucket artifacts() {
        return artifacts;
    }

    /** {@code s3://<lake>/<prefix>}, as Spark and Glue want locations. */
    public String lakeUri(String prefix) {
        return "s3://" + lake.getBucketName() + "/" + prefix;
    }

    public String artifactsUri(String key) {
        return "s3://" + artifacts.getBucketName() + "/" + key;
    }
}
