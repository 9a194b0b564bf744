package io.sluice.cdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awscdk.assertions.Match;

/** People's policies, raw data apart, and what keeps a mistake recoverable and visible. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccessConstructTest
{

    private Synth dev;
    private List<Policies.Statement> statements;

    @BeforeAll
    void synth()
    {
        dev = Synth.dev();
        statements = Policies.all(dev);
    }

    @Test
    void analystsQueryTheWorkgroupAndReadSilverMartsAndAuditOnly()
    {
        List<Policies.Statement> analyst = Policies.ofRole(dev, "AccessAnalyst");
        assertThat(analyst).isNotEmpty();
        assertThat(analyst.stream().flatMap(s -> s.actions().stream()))
                .allMatch(a -> a.matches("athena:.*|glue:(Get|BatchGet)\\w+|s3:(GetObject|PutObject|ListBucket\\w*|"
                        + "GetBucketLocation|AbortMultipartUpload|ListMultipartUploadParts)|kms:(Decrypt|GenerateDataKey)"))
                .noneMatch(a -> a.startsWith("kinesis:"));
        for (Policies.Statement s : analyst) {
            for (String r : s.resources()) {
                assertThat(r).as(s.sid()).matches(
                        "arn:<AWS::Partition>:athena:<AWS::Region>:<AWS::AccountId>:workgroup/sluice-dev"
                                + "|arn:<AWS::Partition>:glue:<AWS::Region>:<AWS::AccountId>:(catalog|database/sluice_dev|table/sluice_dev/\\*)"
                                + "|<StorageLake[0-9A-F]{8}\\.Arn>(/(silver|gold|audit)/\\*)?"
                                + "|<StorageArtifacts[0-9A-F]{8}\\.Arn>(/athena-results/\\*)?"
                                + "|<EncryptionKey[0-9A-F]{8}\\.Arn>");
                assertThat(r).doesNotContain("_raw", "bronze", "quarantine");
            }
            if (s.actions().contains("s3:GetObject") && s.resources().stream().anyMatch(r -> r.contains("/silver/"))) {
                assertThat(s.resources()).anyMatch(r -> r.endsWith("/gold/*")).anyMatch(r -> r.endsWith("/audit/*"));
            }
            if (s.actions().stream().anyMatch(a -> a.startsWith("kms:"))) {
                assertThat(s.raw().get("Condition")).isEqualTo(Map.of("StringEquals", Map.of("kms:ViaService",
                        Map.of("Fn::Join", List.of("", List.of("s3.", Map.of("Ref", "AWS::Region"), ".amazonaws.com"))))));
            }
        }
    }

    @Test
    void operatorStartsJobsOnThisApplicationAndPassesOnlyTheJobRoleToEmr()
    {
        List<Policies.Statement> operator = Policies.ofRole(dev, "AccessOperator");
        Policies.Statement pass = operator.stream().filter(s -> s.actions().contains("iam:PassRole")).findFirst().orElseThrow();
        assertThat(pass.resources()).singleElement().asString().matches("<EmrJobRole[0-9A-F]{8}\\.Arn>");
        assertThat(pass.raw().get("Condition")).isEqualTo(Map.of("StringEquals",
                Map.of("iam:PassedToService", "emr-serverless.amazonaws.com")));
        Policies.Statement start = operator.stream().filter(s -> s.actions().contains("emr-serverless:StartJobRun"))
                .findFirst().orElseThrow();
        assertThat(start.resources()).allMatch(r -> r.contains("/applications/<EmrApplication"));
    }

    @Test
    void bronzeAndQuarantineLiveInTheRestrictedDatabase()
    {
        dev.template().hasResourceProperties("AWS::Glue::Database", Match.objectLike(Map.of(
                "DatabaseInput", Match.objectLike(Map.of("Name", "sluice_dev_raw")))));
        dev.template().hasResourceProperties("AWS::Glue::Table", Match.objectLike(Map.of(
                "DatabaseName", "sluice_dev_raw",
                "TableInput", Match.objectLike(Map.of("Name", "quarantine")))));
        dev.resources("AWS::Glue::Table").values().stream().map(Policies::props)
                .filter(p -> "sluice_dev".equals(p.get("DatabaseName")))
                .forEach(p -> assertThat(Policies.render(Policies.map(Policies.map(p.get("TableInput"))
                        .get("StorageDescriptor")).get("Location"))).containsPattern("/(silver|gold|audit)/"));
        dev.template().hasResourceProperties("AWS::Glue::Table", Match.objectLike(Map.of(
                "DatabaseName", "sluice_dev_raw",
                "TableInput", Match.objectLike(Map.of("Name", "raw_events")))));
    }

    @Test
    void theStreamingRoleDeletesOnlyDeltaLogAndCheckpointFiles()
    {
        List<String> deletable = Policies.ofRole(dev, "EmrJobRole").stream()
                .filter(s -> s.actions().stream().anyMatch(a -> a.startsWith("s3:Delete")))
                .flatMap(s -> s.resources().stream()).toList();
        assertThat(deletable).isNotEmpty().allMatch(r -> r.matches(
                "<StorageLake[0-9A-F]{8}\\.Arn>/((bronze|silver|gold|quarantine|audit)/\\*/_delta_log/\\*|checkpoints/\\*)"));
    }

    @Test
    void onlyTheBreakGlassRoleRemovesVersionsOrChangesVersioningAndLifecycle()
    {
        Policies.Statement deny = statements.stream()
                .filter(s -> s.holder().startsWith("StorageLakePolicy") && "Deny".equals(s.effect())
                        && s.actions().contains("s3:DeleteObjectVersion"))
                .findFirst().orElseThrow();
        assertThat(deny.actions()).containsExactlyInAnyOrderElementsOf(StorageConstruct.PROTECTED_ACTIONS);
        assertThat(deny.raw().get("Principal")).isEqualTo(Map.of("AWS", "*"));
        List<String> excepted = Policies.list(Policies.map(Policies.map(deny.raw().get("Condition")).get("ArnNotLike"))
                .get("aws:PrincipalArn")).stream().map(Policies::render).toList();
        assertThat(excepted).containsExactly(
                "arn:<AWS::Partition>:iam::<AWS::AccountId>:role/sluice-dev-break-glass",
                "arn:<AWS::Partition>:iam::<AWS::AccountId>:role/cdk-*-cfn-exec-role-*");
        // No identity policy but the break-glass role's grants the protected actions.
        assertThat(statements.stream().filter(Policies.Statement::allows)
                .filter(s -> s.actions().stream().anyMatch(StorageConstruct.PROTECTED_ACTIONS::contains)))
                .allMatch(s -> s.holder().startsWith("StorageBreakGlassRole"));
    }

    @Test
    void unusualDeleteVolumeOnTheLakeAlarms()
    {
        dev.template().hasResourceProperties("AWS::S3::Bucket", Match.objectLike(Map.of(
                "MetricsConfigurations", List.of(Map.of("Id", StorageConstruct.REQUEST_METRICS_ID)))));
        dev.template().hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of(
                "AlarmName", "sluice-dev-lake-deletes",
                "Namespace", "AWS/S3",
                "MetricName", "DeleteRequests",
                "Period", 3600,
                "Threshold", 20000,
                "AlarmActions", Match.anyValue())));
    }

    @Test
    void serviceGrantsAreConditionedAndJobRolesUseTheKeyOnlyThroughServices()
    {
        assertThat(statements.stream().filter(Policies.Statement::allows)
                .filter(s -> Policies.map(s.raw().get("Principal")).containsKey("Service")))
                .isNotEmpty()
                .allSatisfy(s -> assertThat(s.hasCondition()).as("%s/%s", s.holder(), s.sid()).isTrue());
        dev.template().hasResourceProperties("AWS::SNS::TopicPolicy", Match.objectLike(Map.of(
                "PolicyDocument", Match.objectLike(Map.of("Statement", Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "Principal", Map.of("Service", "events.amazonaws.com"),
                        "Condition", Match.objectLike(Map.of("ArnEquals", Match.anyValue(),
                                "StringEquals", Match.anyValue())))))))))));
        for (String role : List.of("EmrJobRole", "GlueJobRole")) {
            assertThat(Policies.ofRole(dev, role).stream().filter(s -> s.actions().stream().anyMatch(a -> a.startsWith("kms:"))))
                    .isNotEmpty()
                    .allSatisfy(s -> assertThat(Policies.map(Policies.map(s.raw().get("Condition")).get("StringEquals")))
                            .as("%s/%s", role, s.sid()).containsKey("kms:ViaService"));
        }
    }

    @Test
    void glueLogsGoToEncryptedGroupsTheStackOwns()
    {
        for (String stream : List.of("output", "error")) {
            dev.template().hasResourceProperties("AWS::Logs::LogGroup", Match.objectLike(Map.of(
                    "LogGroupName", "/aws-glue/sluice-dev/" + stream,
                    "KmsKeyId", Match.anyValue(),
                    "RetentionInDays", 30)));
        }
        dev.template().allResourcesProperties("AWS::Glue::Job", Match.objectLike(Map.of(
                "DefaultArguments", Match.objectLike(Map.of("--custom-logGroup-prefix", "/aws-glue/sluice-dev")))));
        dev.template().hasResourceProperties("AWS::Glue::Job", Match.objectLike(Map.of(
                "Name", "sluice-dev-maintain",
                "DefaultArguments", Match.objectLike(Map.of("--maintain.raw-retention-days", "30")))));
    }

    @Test
    void glueJarKeyNamesItsVersionOrContent()
    {
        assertThat(SluiceApp.glueJarName("1.2.3", java.util.Optional.empty())).isEqualTo("sluice-glue-jobs-1.2.3-glue.jar");
        Object uri = dev.template().findOutputs("GlueJarUri", Match.anyValue()).get("GlueJarUri").get("Value");
        assertThat(Policies.render(uri)).matches("s3://<StorageArtifacts[0-9A-F]{8}>/jars/sluice-glue-jobs-.+-glue\\.jar");
    }

    @Test
    void metricsNamespaceIsPerEnvironment()
    {
        dev.template().hasOutput("MetricsNamespace", Match.objectLike(Map.of("Value", "Sluice/dev")));
        assertThat(Policies.ofRole(dev, "EmrJobRole").stream().filter(s -> s.actions().contains("cloudwatch:PutMetricData")))
                .singleElement().satisfies(s -> assertThat(s.raw().get("Condition"))
                        .isEqualTo(Map.of("StringEquals", Map.of("cloudwatch:namespace", "Sluice/dev"))));
    }
}
