package io.sluice.cdk;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.athena.CfnWorkGroup;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.ManagedPolicy;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.kms.IKey;
import software.constructs.Construct;

/**
 * What people get, as managed policies to attach to their own roles or groups (the stack creates no users).
 *
 * <ul>
 *   <li><b>analyst</b>: queries in this Athena workgroup only; reads the catalog entries and objects of the
 *       analysts' database (silver, the marts below {@code gold/} and the audit table); the key only through S3 (Athena
 *       reads and writes S3 as the caller). Not bronze, quarantine (the raw database) or the stream.</li>
 *   <li><b>operator</b>: what {@code sluice submit} calls: uploads jars, starts, reads and cancels job runs of this
 *       application, and passes the job role, to EMR Serverless only.</li>
 * </ul>
 */
public final class AccessConstruct extends Construct
{

    private final ManagedPolicy analyst;
    private final ManagedPolicy operator;

    public AccessConstruct(Construct scope, String id, SluiceSettings settings, IKey key, StorageConstruct storage,
                           CatalogConstruct catalog, CfnWorkGroup workGroup, EmrServerlessConstruct emr)
                           {
        super(scope, id);
        requireNonNull(settings, "settings");
        requireNonNull(key, "key");
        requireNonNull(storage, "storage");
        requireNonNull(catalog, "catalog");
        requireNonNull(workGroup, "workGroup");
        requireNonNull(emr, "emr");
        Stack stack = Stack.of(this);
        String s3Service = "s3." + stack.getRegion() + ".amazonaws.com";
        // The tables of the analysts' database: silver, the gold marts and the audit table (counts and offsets, no payloads).
        List<String> analystPrefixes = List.of(StorageConstruct.SILVER_PREFIX, StorageConstruct.GOLD_PREFIX,
                StorageConstruct.AUDIT_PREFIX);

        this.analyst = ManagedPolicy.Builder.create(this, "Analyst")
                .managedPolicyName(settings.prefix() + "-analyst")
                .description("Sluice " + settings.envName() + ": query silver, marts and the audit table in Athena workgroup "
                        + settings.prefix() + "; no raw data, no stream")
                .statements(List.of(
                        statement("RunQueriesInWorkGroup", List.of(
                                        "athena:StartQueryExecution", "athena:StopQueryExecution",
                                        "athena:GetQueryExecution", "athena:GetQueryResults",
                                        "athena:GetQueryResultsStream", "athena:BatchGetQueryExecution",
                                        "athena:ListQueryExecutions", "athena:GetWorkGroup",
                                        "athena:GetNamedQuery", "athena:BatchGetNamedQuery", "athena:ListNamedQueries"),
                                List.of(stack.formatArn(ArnComponents.builder().service("athena").resource("workgroup")
                                        .resourceName(workGroup.getName()).arnFormat(ArnFormat.SLASH_RESOURCE_NAME)
                                        .build()))),
                        statement("ReadAnalystCatalog", List.of(
                                        "glue:GetDatabase", "glue:GetTable", "glue:GetTables",
                                        "glue:GetPartition", "glue:GetPartitions", "glue:BatchGetPartition"),
                                List.of(catalog.catalogArn(), catalog.databaseArn(), catalog.tablesArn())),
                        statement("ReadAnalystTables", List.of("s3:GetObject"),
                                analystPrefixes.stream().map(p -> storage.lake().arnForObjects(p + "*")).toList()),
                        PolicyStatement.Builder.create()
                                .sid("ListAnalystPrefixes")
                                .effect(Effect.ALLOW)
                                .actions(List.of("s3:ListBucket"))
                                .resources(List.of(storage.lake().getBucketArn()))
                                .conditions(Map.of("StringLike", Map.of("s3:prefix",
                                        analystPrefixes.stream().map(p -> p + "*").toList())))
                                .build(),
                        statement("LocateBuckets", List.of("s3:GetBucketLocation"),
                                List.of(storage.lake().getBucketArn(), storage.artifacts().getBucketArn())),
                        statement("ReadWriteQueryResults",
                                List.of("s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload",
                                        "s3:ListMultipartUploadParts"),
                                List.of(storage.artifacts().arnForObjects(StorageConstruct.ATHENA_RESULTS_PREFIX + "*"))),
                        PolicyStatement.Builder.create()
                                .sid("ListQueryResults")
                                .effect(Effect.ALLOW)
                                .actions(List.of("s3:ListBucket", "s3:ListBucketMultipartUploads"))
                                .resources(List.of(storage.artifacts().getBucketArn()))
                                .conditions(Map.of("StringLike", Map.of("s3:prefix",
                                        StorageConstruct.ATHENA_RESULTS_PREFIX + "*")))
                                .build(),
                        viaService("DecryptThroughS3", key, s3Service)))
                .build();
        Nag.suppress(analyst, "AwsSolutions-IAM5",
                "Object keys below the silver/, gold/ and audit/ prefixes and the Athena results prefix, and the tables "
                        + "of the analysts' database: the tables are many and change with the contracts.",
                List.of("Resource::<StorageLake#.Arn>/" + StorageConstruct.SILVER_PREFIX + "*",
                        "Resource::<StorageLake#.Arn>/" + StorageConstruct.GOLD_PREFIX + "*",
                        "Resource::<StorageLake#.Arn>/" + StorageConstruct.AUDIT_PREFIX + "*",
                        "Resource::<StorageArtifacts#.Arn>/" + StorageConstruct.ATHENA_RESULTS_PREFIX + "*",
                        "Resource::arn:<AWS::Partition>:glue:<AWS::Region>:<AWS::AccountId>:table/"
                                + settings.databaseName() + "/*"));

        String applicationArn = stack.formatArn(ArnComponents.builder().service("emr-serverless")
                .resource("/applications").resourceName(emr.applicationId())
                .arnFormat(ArnFormat.SLASH_RESOURCE_NAME).build());
        Role jobRole = emr.jobRole();
        this.operator = ManagedPolicy.Builder.create(this, "Operator")
                .managedPolicyName(settings.prefix() + "-operator")
                .description("Sluice " + settings.envName() + ": sluice submit (upload the jar, run jobs on "
                        + settings.prefix() + ")")
                .statements(List.of(
                        statement("RunJobsOnThisApplication", List.of(
                                        "emr-serverless:StartJobRun", "emr-serverless:GetJobRun",
                                        "emr-serverless:CancelJobRun", "emr-serverless:ListJobRuns",
                                        "emr-serverless:GetApplication", "emr-serverless:TagResource",
                                        "emr-serverless:GetDashboardForJobRun"),
                                List.of(applicationArn, applicationArn + "/jobruns/*")),
                        PolicyStatement.Builder.create()
                                .sid("PassJobRoleToEmrServerless")
                                .effect(Effect.ALLOW)
                                .actions(List.of("iam:PassRole"))
                                .resources(List.of(jobRole.getRoleArn()))
                                .conditions(Map.of("StringEquals", Map.of("iam:PassedToService",
                                        "emr-serverless.amazonaws.com")))
                                .build(),
                        statement("UploadJars", List.of("s3:GetObject", "s3:PutObject"),
                                List.of(storage.artifacts().arnForObjects(StorageConstruct.JARS_PREFIX + "*"))),
                        statement("LocateArtifacts", List.of("s3:GetBucketLocation"),
                                List.of(storage.artifacts().getBucketArn())),
                        viaService("EncryptJarsThroughS3", key, s3Service)))
                .build();
        Nag.suppress(operator, "AwsSolutions-IAM5",
                "Job runs of this one application (their ids exist only once started) and jar keys below jars/ "
                        + "(named by content, one per build).",
                List.of("Resource::<StorageArtifacts#.Arn>/" + StorageConstruct.JARS_PREFIX + "*",
                        "Resource::arn:<AWS::Partition>:emr-serverless:<AWS::Region>:<AWS::AccountId>:/applications/<EmrApplication#.ApplicationId>/jobruns/*"));
    }

    private static PolicyStatement statement(String sid, List<String> actions, List<String> resources)
    {
        return LakeAccess.statement(sid, actions, resources);
    }

    private static PolicyStatement viaService(String sid, IKey key, String service)
    {
        return PolicyStatement.Builder.create()
                .sid(sid)
                .effect(Effect.ALLOW)
                .actions(List.of("kms:Decrypt", "kms:GenerateDataKey"))
                .resources(List.of(key.getKeyArn()))
                .conditions(new TreeMap<>(Map.of("StringEquals", Map.of("kms:ViaService", service))))
                .build();
    }

    public ManagedPolicy analyst()
    {
        return analyst;
    }

    public ManagedPolicy operator()
    {
        return operator;
    }
}
