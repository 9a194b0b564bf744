package io.sluice.cdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awscdk.assertions.Match;

/** Least privilege, checked over every policy document in the template rather than one role at a time. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IamPolicyTest
{

    // Actions that read or write data (objects, records, rows, keys, log events, messages).
    private static final Pattern DATA_ACTION = Pattern.compile(
            "s3:(Get|Put|Delete|Restore)Object.*|s3:.*MultipartUpload.*|"
                    + "kinesis:(GetRecords|GetShardIterator|SubscribeToShard|PutRecords?)|"
                    + "glue:(Get|Create|Update|Delete|Batch\\w*)(Table|Tables|Partition|Partitions|Database|Databases|Schema\\w*)|"
                    + "kms:(Encrypt|Decrypt|ReEncrypt\\w*|GenerateDataKey\\w*)|"
                    + "logs:(PutLogEvents|GetLogEvents|FilterLogEvents)|sns:Publish|sqs:\\w+");
    // The only actions allowed on "*": ones IAM can't scope by resource, and only under a condition.
    private static final Set<String> ALLOWED_ON_STAR = Set.of("cloudwatch:PutMetricData",
            // The STS endpoint: source.role-arn may name a role in another account (held to this account's callers).
            "sts:AssumeRole", "sts:GetCallerIdentity",
            // Glue's network interfaces: EC2 Describe calls have no resource-level permissions (held to the region).
            "ec2:DescribeVpcEndpoints", "ec2:DescribeRouteTables", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups",
            "ec2:DescribeVpcAttribute", "ec2:DescribeNetworkInterfaces");

    private Synth dev;
    private List<Policies.Statement> statements;

    @BeforeAll
    void synth()
    {
        dev = Synth.dev();
        statements = Policies.all(dev);
    }

    @Test
    void walksEveryKindOfPolicy()
    {
        assertThat(statements).extracting(Policies.Statement::holder)
                .anyMatch(h -> h.startsWith("EmrJobRole"))
                .anyMatch(h -> h.startsWith("GlueJobRole"))
                .anyMatch(h -> h.startsWith("StorageLakePolicy"))
                .anyMatch(h -> h.startsWith("MonitoringAlarmTopic"))
                .anyMatch(h -> h.startsWith("EncryptionKey"))
                .anyMatch(h -> h.startsWith("NetworkEndpoint"))
                .anyMatch(h -> h.startsWith("AccessAnalyst"))
                .anyMatch(h -> h.startsWith("StorageBreakGlassRole"));
    }

    @Test
    void noIdentityOrResourcePolicyGrantsDataActionsOnStar()
    {
        // Key policies are the one place "*" is right: there it means "this key" (AWS's documented form).
        List<Policies.Statement> checked = statements.stream()
                .filter(Policies.Statement::allows)
                .filter(s -> !s.holder().startsWith("EncryptionKey"))
                .toList();
        assertThat(checked).isNotEmpty();
        for (Policies.Statement s : checked) {
            boolean onStar = s.resources().contains("*");
            if (onStar) {
                assertThat(ALLOWED_ON_STAR).as("%s/%s on *", s.holder(), s.sid()).containsAll(s.actions());
                assertThat(s.hasCondition()).as("%s/%s on * needs a condition", s.holder(), s.sid()).isTrue();
            }
            if (s.actions().stream().anyMatch(a -> DATA_ACTION.matcher(a).matches())) {
                assertThat(s.resources()).as("%s/%s", s.holder(), s.sid())
                        .noneMatch(r -> r.equals("*") || r.endsWith(":*") && !r.startsWith("<")
                                || r.matches("arn:[^:]*:s3:::\\*.*"));
            }
        }
    }

    @Test
    void noAllowUsesAServiceWideActionWildcard()
    {
        assertThat(statements.stream().filter(Policies.Statement::allows)
                .filter(s -> !s.holder().startsWith("EncryptionKey"))
                .flatMap(s -> s.actions().stream()))
                .noneMatch(a -> a.equals("*") || a.endsWith(":*"));
    }

    @Test
    void emrJobRoleReadsOnlyThisStreamAndNeverWritesIt()
    {
        List<Policies.Statement> emr = Policies.ofRole(dev, "EmrJobRole");
        List<Policies.Statement> kinesis = emr.stream()
                .filter(s -> s.actions().stream().anyMatch(a -> a.startsWith("kinesis:"))).toList();
        assertThat(kinesis).hasSize(2);
        assertThat(kinesis.stream().flatMap(s -> s.actions().stream()))
                .containsExactlyInAnyOrder("kinesis:DescribeStream", "kinesis:DescribeStreamSummary",
                        "kinesis:ListShards", "kinesis:GetShardIterator", "kinesis:GetRecords",
                        "kinesis:DescribeStreamConsumer", "kinesis:SubscribeToShard");
        assertThat(kinesis.stream().flatMap(s -> s.resources().stream()))
                .allMatch(r -> r.matches("<Stream[0-9A-F]{8}\\.Arn>(/consumer/\\*)?"));
    }

    @Test
    void jobRolesTouchOnlyTheirOwnPrefixesDatabaseKeyAndLogs()
    {
        for (String role : List.of("EmrJobRole", "GlueJobRole")) {
            for (Policies.Statement s : statements.stream().filter(s -> s.holder().startsWith(role)).toList()) {
                for (String r : s.resources()) {
                    assertThat(r).as("%s/%s", role, s.sid()).matches(
                            "\\*"                                                              // PutMetricData only (above)
                                    + "|<Stream[0-9A-F]{8}\\.Arn>(/consumer/\\*)?"
                                    + "|<StorageLake[0-9A-F]{8}\\.Arn>(/(bronze|silver|gold|quarantine|audit|checkpoints)/\\*)?"
                                    + "|<StorageLake[0-9A-F]{8}\\.Arn>/(bronze|silver|gold|quarantine|audit)/\\*/_delta_log/\\*"
                                    + "|<StorageArtifacts[0-9A-F]{8}\\.Arn>(/(jars|emr-logs|glue|glue-temp)/\\*)?"
                                    + "|<EncryptionKey[0-9A-F]{8}\\.Arn>"
                                    + "|<EmrLogs[0-9A-F]{8}\\.Arn>"
                                    + "|<CatalogRegistry[0-9A-F]{8}\\.Arn>"
                                    + "|arn:<AWS::Partition>:glue:<AWS::Region>:<AWS::AccountId>:"
                                    + "(catalog|database/sluice_dev(_raw)?|database/default|table/sluice_dev(_raw)?/\\*|schema/sluice-dev/\\*)"
                                    + "|arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:(\\*|/aws-glue/sluice-dev\\*)"
                                    // Glue's network interfaces, in its connection's subnet and security group.
                                    + "|arn:<AWS::Partition>:ec2:<AWS::Region>:<AWS::AccountId>:"
                                    + "(network-interface/\\*|subnet/<NetworkVpcjobsSubnet1Subnet[0-9A-F]{8}>"
                                    + "|security-group/<NetworkGlueGroup[0-9A-F]{8}\\.GroupId>)");
                }
            }
        }
    }

    @Test
    void logGroupWildcardIsOnlyForDescribeLogGroups()
    {
        assertThat(statements.stream().filter(s -> s.resources().stream().anyMatch(r -> r.endsWith("log-group:*"))))
                .allSatisfy(s -> assertThat(s.actions()).containsExactly("logs:DescribeLogGroups"));
    }

    @Test
    void rolesAreAssumableOnlyByTheirServiceFromThisAccount()
    {
        dev.template().hasResourceProperties("AWS::IAM::Role", Match.objectLike(Map.of(
                "RoleName", "sluice-dev-emr-job",
                "AssumeRolePolicyDocument", Map.of("Statement", List.of(Match.objectLike(Map.of(
                        "Principal", Map.of("Service", "emr-serverless.amazonaws.com"),
                        "Condition", Map.of(
                                "StringEquals", Map.of("aws:SourceAccount", Map.of("Ref", "AWS::AccountId")),
                                "ArnLike", Map.of("aws:SourceArn", Match.anyValue())))))))));
        dev.template().hasResourceProperties("AWS::IAM::Role", Match.objectLike(Map.of(
                "RoleName", "sluice-dev-glue-job",
                "AssumeRolePolicyDocument", Map.of("Statement", List.of(Match.objectLike(Map.of(
                        "Principal", Map.of("Service", "glue.amazonaws.com"),
                        "Condition", Map.of(
                                "StringEquals", Map.of("aws:SourceAccount", Map.of("Ref", "AWS::AccountId"))))))))));
        dev.template().hasResourceProperties("AWS::IAM::Role", Match.objectLike(Map.of(
                "RoleName", "sluice-dev-break-glass",
                "AssumeRolePolicyDocument", Map.of("Statement", List.of(Match.objectLike(Map.of(
                        "Condition", Map.of("Bool", Map.of("aws:MultiFactorAuthPresent", "true")))))))));
        assertThat(dev.resources("AWS::IAM::Role")).hasSize(3);
        assertThat(dev.resources("AWS::IAM::Role").values())
                .allSatisfy(r -> assertThat(Policies.props(r)).doesNotContainKey("ManagedPolicyArns"));
    }

    @Test
    void keyPolicyLetsServicesUseTheKeyOnlyForThisAccountAndItsLogGroups()
    {
        List<Policies.Statement> key = statements.stream().filter(s -> s.holder().startsWith("EncryptionKey")).toList();
        assertThat(key).extracting(Policies.Statement::sid).contains("AllowCloudWatchLogs",
                "AllowPublishToEncryptedTopicBycloudwatch", "AllowPublishToEncryptedTopicByevents");
        // Every statement, with or without a Sid: the one without a condition is CDK's default, which hands the key's
        // administration to this account's IAM policies (principal: the account root).
        assertThat(key).allSatisfy(s -> assertThat(s.hasCondition()
                || Policies.render(Policies.map(s.raw().get("Principal")).get("AWS")).endsWith(":root"))
                .as("%s: %s", s.sid(), s.raw()).isTrue());
        assertThat(key.stream().filter(s -> s.sid().startsWith("AllowPublish"))).hasSize(2)
                .allSatisfy(s -> assertThat(Policies.map(s.raw().get("Condition"))).containsKeys("StringEquals", "ArnLike"));
        assertThat(key).allSatisfy(s -> assertThat(s.raw().get("Principal")).isNotEqualTo("*"));
    }
}
