package io.sluice.cdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awscdk.assertions.Match;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StorageConstructTest
{

    private Synth dev;

    @BeforeAll
    void synth()
    {
        dev = Synth.dev();
    }

    @Test
    void threeBucketsAllBlockPublicAccess()
    {
        Map<String, Map<String, Object>> buckets = dev.resources("AWS::S3::Bucket");
        assertThat(buckets).hasSize(3);
        dev.template().allResourcesProperties("AWS::S3::Bucket", Map.of(
                "PublicAccessBlockConfiguration", Map.of(
                        "BlockPublicAcls", true,
                        "BlockPublicPolicy", true,
                        "IgnorePublicAcls", true,
                        "RestrictPublicBuckets", true)));
    }

    @Test
    void everyBucketPolicyDeniesNonTlsAndOldTls()
    {
        Map<String, Map<String, Object>> policies = dev.resources("AWS::S3::BucketPolicy");
        assertThat(policies).hasSize(3);
        dev.template().allResourcesProperties("AWS::S3::BucketPolicy", Map.of(
                "PolicyDocument", Map.of("Statement", Match.arrayWith(List.of(
                        Match.objectLike(Map.of(
                                "Effect", "Deny",
                                "Action", "s3:*",
                                "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false")))),
                        Match.objectLike(Map.of(
                                "Effect", "Deny",
                                "Action", "s3:*",
                                "Condition", Map.of("NumericLessThan", Map.of("s3:TlsVersion", 1.2)))))))));
    }

    @Test
    void dataBucketsUseTheCmkAndAreVersionedAndLogged()
    {
        Map<String, Object> kms = Map.of("ServerSideEncryptionConfiguration", List.of(Map.of(
                "BucketKeyEnabled", true,
                "ServerSideEncryptionByDefault", Map.of(
                        "SSEAlgorithm", "aws:kms",
                        "KMSMasterKeyID", Match.objectLike(Map.of("Fn::GetAtt", Match.arrayWith(List.of("Arn"))))))));
        for (String prefix : List.of("lake/", "artifacts/")) {
            dev.template().hasResourceProperties("AWS::S3::Bucket", Match.objectLike(Map.of(
                    "BucketEncryption", kms,
                    "VersioningConfiguration", Map.of("Status", "Enabled"),
                    "LoggingConfiguration", Match.objectLike(Map.of("LogFilePrefix", prefix)))));
        }
    }

    @Test
    void logsBucketIsSseS3BecauseAccessLogDeliveryCannotUseKms()
    {
        dev.template().hasResourceProperties("AWS::S3::Bucket", Match.objectLike(Map.of(
                "BucketEncryption", Map.of("ServerSideEncryptionConfiguration", List.of(Map.of(
                        "ServerSideEncryptionByDefault", Map.of("SSEAlgorithm", "AES256")))),
                "LifecycleConfiguration", Map.of("Rules", List.of(Match.objectLike(Map.of(
                        "Id", "expire-access-logs", "ExpirationInDays", 30, "Status", "Enabled")))))));
    }

    @Test
    void lifecycleExpiresOldCheckpointsAndOldDataVersionsButNotCurrentData()
    {
        dev.template().hasResourceProperties("AWS::S3::Bucket", Match.objectLike(Map.of(
                "LifecycleConfiguration", Map.of("Rules", List.of(
                        Match.objectLike(Map.of(
                                "Id", "expire-old-checkpoint-versions",
                                "Prefix", StorageConstruct.CHECKPOINTS_PREFIX,
                                "NoncurrentVersionExpiration", Map.of("NoncurrentDays", 3),
                                "ExpiredObjectDeleteMarker", true)),
                        Match.objectLike(Map.of(
                                "Id", "expire-old-data-versions",
                                "NoncurrentVersionExpiration", Map.of("NoncurrentDays", 7),
                                "ExpirationInDays", Match.absent())))))));
    }

    @Test
    void devBucketsCanBeDestroyed()
    {
        assertThat(dev.resources("AWS::S3::Bucket").values())
                .allSatisfy(bucket -> assertThat(bucket).containsEntry("DeletionPolicy", "Delete"));
    }
}
