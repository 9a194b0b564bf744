package io.sluice.cdk;


import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.kms.IKey;

/**
 * The IAM statements both job roles (EMR Serverless streaming, Glue batch) need for the lake: the same
 * data, written the same way, so the two roles can't drift apart. Every statement names its resources;
 * the only {@code *} resource is PutMetricData, which IAM can't scope by resource, held to one namespace.
 */
final class LakeAccess
{

    /** Lake prefixes the jobs read and write: Delta tables (marts included), quarantine, the audit table and streaming checkpoints. */
    static final List<String> LAKE_PREFIXES = List.of(
            StorageConstruct.BRONZE_PREFIX,
            StorageConstruct.SILVER_PREFIX,
            StorageConstruct.GOLD_PREFIX,
            StorageConstruct.QUARANTINE_PREFIX,
            StorageConstruct.AUDIT_PREFIX,
            StorageConstruct.CHECKPOINTS_PREFIX);

    /** Lake prefixes that hold Delta tables, one directory per table below each. */
    static final List<String> TABLE_PREFIXES = List.of(
            StorageConstruct.BRONZE_PREFIX,
            StorageConstruct.SILVER_PREFIX,
            StorageConstruct.GOLD_PREFIX,
            StorageConstruct.QUARANTINE_PREFIX,
            StorageConstruct.AUDIT_PREFIX);

    /** What a role may delete in the lake. */
    enum Deletes
    {
        /**
         * Only what Delta and Spark clean up as they write: old log files and checkpoints in each table's
         * {@code _delta_log/} and the streaming checkpoints. Data files are never deleted by a writer (MERGE and
         * OPTIMIZE only mark them removed), so a streaming job gone wrong cannot delete data.
         */
        DELTA_CLEAN_UP_ONLY,
        /** Also data files: VACUUM and the raw-data retention of {@code maintain}. */
        DATA_FILES
    }

    private LakeAccess() {}

    /** Object ARN patterns the role may delete. */
    static List<String> deletable(StorageConstruct storage, Deletes deletes)
    {
        if (deletes == Deletes.DATA_FILES) {
            return LAKE_PREFIXES.stream().map(p -> storage.lake().arnForObjects(p + "*")).toList();
        }
        List<String> arns = new ArrayList<>(TABLE_PREFIXES.stream()
                .map(p -> storage.lake().arnForObjects(p + "*/_delta_log/*")).toList());
        arns.add(storage.lake().arnForObjects(StorageConstruct.CHECKPOINTS_PREFIX + "*"));
        return arns;
    }

    static List<PolicyStatement> statements(StorageConstruct storage, CatalogConstruct catalog, IKey key,
                                            String metricsNamespace, Deletes deletes)
                                            {
        requireNonNull(storage, "storage");
        requireNonNull(catalog, "catalog");
        requireNonNull(key, "key");
        requireNonNull(metricsNamespace, "metricsNamespace");
        requireNonNull(deletes, "deletes");
        String region = Stack.of(catalog).getRegion();
        return List.of(
                statement("ListLake", List.of("s3:ListBucket", "s3:GetBucketLocation"),
                        List.of(storage.lake().getBucketArn())),
                statement("ReadWriteLake",
                        List.of("s3:GetObject", "s3:PutObject",
                                "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"),
                        LAKE_PREFIXES.stream().map(p -> storage.lake().arnForObjects(p + "*")).toList()),
                statement(deletes == Deletes.DATA_FILES ? "DeleteLakeFiles" : "DeleteDeltaLogAndCheckpointFiles",
                        List.of("s3:DeleteObject"), deletable(storage, deletes)),
                statement("ReadApplicationJar", List.of("s3:GetObject"),
                        List.of(storage.artifacts().arnForObjects(StorageConstruct.JARS_PREFIX + "*"))),
                // Encrypt/decrypt through S3, Kinesis and Logs only, never direct use of the key.
                PolicyStatement.Builder.create()
                        .sid("UseKeyThroughServices")
                        .effect(Effect.ALLOW)
                        .actions(List.of("kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"))
                        .resources(List.of(key.getKeyArn()))
                        .conditions(Map.of("StringEquals", Map.of("kms:ViaService", List.of(
                                "s3." + region + ".amazonaws.com",
                                "kinesis." + region + ".amazonaws.com",
                                "logs." + region + ".amazonaws.com"))))
                        .build(),
                statement("ReadWriteCatalog",
                        List.of("glue:GetDatabase", "glue:GetDatabases", "glue:GetTable", "glue:GetTables",
                                "glue:CreateTable", "glue:UpdateTable",
                                "glue:GetPartition", "glue:GetPartitions", "glue:BatchGetPartition",
                                "glue:CreatePartition", "glue:BatchCreatePartition", "glue:UpdatePartition",
                                "glue:DeletePartition", "glue:BatchDeletePartition"),
                        List.of(catalog.catalogArn(), catalog.databaseArn(), catalog.tablesArn(),
                                catalog.rawDatabaseArn(), catalog.rawTablesArn())),
                statement("LookUpDefaultDatabase", List.of("glue:GetDatabase"),
                        List.of(catalog.catalogArn(), catalog.defaultDatabaseArn())),
                statement("ReadSchemaRegistry",
                        List.of("glue:GetRegistry", "glue:GetSchema", "glue:GetSchemaVersion",
                                "glue:GetSchemaByDefinition", "glue:ListSchemaVersions"),
                        List.of(catalog.registryArn(), catalog.schemasArn())),
                PolicyStatement.Builder.create()
                        .sid("PublishSluiceMetrics")
                        .effect(Effect.ALLOW)
                        .actions(List.of("cloudwatch:PutMetricData"))
                        .resources(List.of("*"))
                        .conditions(Map.of("StringEquals", Map.of("cloudwatch:namespace", metricsNamespace)))
                        .build());
    }

    /**
     * How cdk-nag names the wildcard resources of {@link #statements} (AwsSolutions-IAM5 findings), for the
     * per-role suppressions: {@code #} stands for a logical ID's hash.
     */
    static List<String> wildcardFindings(SluiceSettings settings)
    {
        List<String> findings = new ArrayList<>();
        findings.add("Resource::*");
        LAKE_PREFIXES.forEach(p -> findings.add("Resource::<StorageLake#.Arn>/" + p + "*"));
        TABLE_PREFIXES.forEach(p -> findings.add("Resource::<StorageLake#.Arn>/" + p + "*/_delta_log/*"));
        findings.add(GLUE_ARN + "table/" + settings.rawDatabaseName() + "/*");
        findings.add("Resource::<StorageArtifacts#.Arn>/" + StorageConstruct.JARS_PREFIX + "*");
        findings.add(GLUE_ARN + "table/" + settings.databaseName() + "/*");
        findings.add(GLUE_ARN + "schema/" + settings.prefix() + "/*");
        return findings;
    }

    private static final String GLUE_ARN = "Resource::arn:<AWS::Partition>:glue:<AWS::Region>:<AWS::AccountId>:";

    static PolicyStatement statement(String sid, List<String> actions, List<String> resources)
    {
        return PolicyStatement.Builder.create()
                .sid(sid)
                .effect(Effect.ALLOW)
                .actions(actions)
                .resources(resources)
                .build();
    }
}
