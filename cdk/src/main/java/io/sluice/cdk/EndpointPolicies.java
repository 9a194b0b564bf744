package io.sluice.cdk;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.AnyPrincipal;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.kinesis.IStream;
import software.amazon.awscdk.services.kms.IKey;

/**
 * The VPC endpoints' policies: through them, principals of this account reach this stack's resources and nothing
 * else, so code in the VPC cannot copy data to another bucket or stream even with credentials that allow it. The
 * job roles' own policies still decide what each job may do; these are the outer fence.
 */
final class EndpointPolicies
{

    private EndpointPolicies() {}

    static void apply(NetworkConstruct network, StorageConstruct storage, IStream stream, CatalogConstruct catalog,
                      IKey key, String metricsNamespace, List<String> logGroupArns)
                      {
        requireNonNull(network, "network");
        requireNonNull(storage, "storage");
        requireNonNull(stream, "stream");
        requireNonNull(catalog, "catalog");
        requireNonNull(key, "key");
        requireNonNull(metricsNamespace, "metricsNamespace");
        Stack stack = Stack.of(network);

        List<String> buckets = List.of(storage.lake().getBucketArn(), storage.artifacts().getBucketArn());
        List<String> objects = List.of(storage.lake().arnForObjects("*"), storage.artifacts().arnForObjects("*"));
        network.allow(NetworkConstruct.S3, allow(stack, "ThisStacksBuckets",
                List.of("s3:ListBucket", "s3:GetBucketLocation", "s3:ListBucketMultipartUploads"), buckets));
        network.allow(NetworkConstruct.S3, allow(stack, "ThisStacksObjects",
                List.of("s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload",
                        "s3:ListMultipartUploadParts"), objects));

        network.allow("kinesis-streams", allow(stack, "ThisStream",
                List.of("kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:ListShards",
                        "kinesis:GetShardIterator", "kinesis:GetRecords", "kinesis:DescribeStreamConsumer",
                        "kinesis:SubscribeToShard"),
                List.of(stream.getStreamArn(), stream.getStreamArn() + "/consumer/*")));

        // source.role-arn may name a role in the stream owner's account, so the role is not this stack's to name.
        network.allow("sts", allow(stack, "AssumeRolesAsThisAccount",
                List.of("sts:AssumeRole", "sts:GetCallerIdentity"), List.of("*")));

        PolicyStatement metrics = allow(stack, "PublishThisEnvironmentsMetrics", List.of("cloudwatch:PutMetricData"),
                List.of("*"));
        metrics.addCondition("StringEquals", Map.of("cloudwatch:namespace", List.of(metricsNamespace, "Glue")));
        network.allow("monitoring", metrics);

        List<String> logResources = new ArrayList<>(logGroupArns);
        network.allow("logs", allow(stack, "ThisStacksLogGroups",
                List.of("logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams",
                        "logs:AssociateKmsKey"),
                logResources));
        network.allow("logs", allow(stack, "FindLogGroups", List.of("logs:DescribeLogGroups"),
                List.of(stack.formatArn(ArnComponents.builder().service("logs").resource("log-group").resourceName("*")
                        .arnFormat(ArnFormat.COLON_RESOURCE_NAME).build()))));

        network.allow("kms", allow(stack, "ThisStacksKey",
                List.of("kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey", "kms:Encrypt"),
                List.of(key.getKeyArn())));

        network.allow("glue", allow(stack, "ThisStacksCatalog",
                List.of("glue:GetDatabase", "glue:GetDatabases", "glue:GetTable", "glue:GetTables", "glue:CreateTable",
                        "glue:UpdateTable", "glue:GetPartition", "glue:GetPartitions", "glue:BatchGetPartition",
                        "glue:CreatePartition", "glue:BatchCreatePartition", "glue:UpdatePartition",
                        "glue:DeletePartition", "glue:BatchDeletePartition", "glue:GetConnection",
                        "glue:GetRegistry", "glue:GetSchema", "glue:GetSchemaVersion", "glue:GetSchemaByDefinition",
                        "glue:ListSchemaVersions"),
                List.of(catalog.catalogArn(), catalog.databaseArn(), catalog.tablesArn(), catalog.rawDatabaseArn(),
                        catalog.rawTablesArn(), catalog.defaultDatabaseArn(), catalog.registryArn(),
                        catalog.schemasArn(), stack.formatArn(ArnComponents.builder().service("glue")
                                .resource("connection").resourceName("*").arnFormat(ArnFormat.SLASH_RESOURCE_NAME)
                                .build()))));
    }

    /** Any principal of this account (an endpoint policy must name principals), on these resources only. */
    private static PolicyStatement allow(Stack stack, String sid, List<String> actions, List<String> resources)
    {
        return PolicyStatement.Builder.create()
                .sid(sid)
                .effect(Effect.ALLOW)
                .principals(List.of(new AnyPrincipal()))
                .actions(actions)
                .resources(resources)
                .conditions(Map.of("StringEquals", Map.of("aws:PrincipalAccount", stack.getAccount())))
                .build();
    }
}
