package io.sluice.cdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awscdk.assertions.Match;

/** cdk-nag has no EMR Serverless rules: these are the security and sizing checks it would have made. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmrServerlessConstructTest
{

    private Synth dev;

    @BeforeAll
    void synth()
    {
        dev = Synth.dev();
    }

    @Test
    void sparkApplicationOnTheEmr8ReleaseWithAutoStartAndStop()
    {
        dev.template().resourceCountIs("AWS::EMRServerless::Application", 1);
        dev.template().hasResourceProperties("AWS::EMRServerless::Application", Match.objectLike(Map.of(
                "Name", "sluice-dev",
                "ReleaseLabel", "emr-spark-8.0.0",
                "Type", "SPARK",
                "Architecture", "ARM64",
                "AutoStartConfiguration", Map.of("Enabled", true),
                "AutoStopConfiguration", Map.of("Enabled", true, "IdleTimeoutMinutes", 15),
                "MaximumCapacity", Map.of("Cpu", "16 vCPU", "Memory", "64 GB", "Disk", "200 GB"))));
    }

    @Test
    void emrStudioAndLivyMayOpenInteractiveSessions()
    {
        dev.template().hasResourceProperties("AWS::EMRServerless::Application", Match.objectLike(Map.of(
                "InteractiveConfiguration", Map.of("StudioEnabled", true, "LivyEndpointEnabled", true))));
    }

    @Test
    void logsAreEncryptedWithTheCmkInCloudWatchAndS3()
    {
        Map<String, Object> keyArn = Map.of("Fn::GetAtt", List.of(keyId(), "Arn"));
        dev.template().hasResourceProperties("AWS::EMRServerless::Application", Match.objectLike(Map.of(
                "MonitoringConfiguration", Match.objectLike(Map.of(
                        "CloudWatchLoggingConfiguration", Match.objectLike(Map.of(
                                "Enabled", true,
                                "LogGroupName", Match.anyValue(),
                                "EncryptionKeyArn", keyArn)),
                        "S3MonitoringConfiguration", Match.objectLike(Map.of("EncryptionKeyArn", keyArn)))))));
        dev.template().hasResourceProperties("AWS::Logs::LogGroup", Map.of(
                "LogGroupName", "/aws/emr-serverless/sluice-dev",
                "KmsKeyId", keyArn,
                "RetentionInDays", 30));
    }

    @Test
    void sparkDefaultsEnableDeltaAndTheGlueCatalog()
    {
        dev.template().hasResourceProperties("AWS::EMRServerless::Application", Match.objectLike(Map.of(
                "RuntimeConfiguration", List.of(Map.of(
                        "Classification", "spark-defaults",
                        "Properties", Match.objectLike(Map.of(
                                "spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension",
                                "spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog",
                                "spark.hadoop.hive.metastore.client.factory.class",
                                "com.amazonaws.glue.catalog.metastore.AWSGlueDataCatalogHiveClientFactory")))))));
    }

    @Test
    void alwaysRunsInTheStacksPrivateSubnetsWithItsOwnSecurityGroup()
    {
        Map<String, Map<String, Object>> subnets = dev.resources("AWS::EC2::Subnet");
        assertThat(subnets).hasSize(2);
        String group = dev.resources("AWS::EC2::SecurityGroup").entrySet().stream()
                .filter(e -> "sluice-dev-emr".equals(Policies.props(e.getValue()).get("GroupName")))
                .map(Map.Entry::getKey).findFirst().orElseThrow();
        dev.template().hasResourceProperties("AWS::EMRServerless::Application", Match.objectLike(Map.of(
                "NetworkConfiguration", Map.of(
                        "SubnetIds", Match.arrayWith(subnets.keySet().stream().map(id -> (Object) Map.of("Ref", id)).toList()),
                        "SecurityGroupIds", List.of(Map.of("Fn::GetAtt", List.of(group, "GroupId")))))));
    }

    @Test
    void runsInAGivenVpcsSubnetsWhenContextNamesThem()
    {
        Synth vpc = Synth.of(Map.of("env", "dev", "vpcId", "vpc-0a1b2c3d4e5f60000",
                "availabilityZones", "eu-west-1a,eu-west-1b",
                "subnetIds", "subnet-0a1b2c3d4e5f60001,subnet-0a1b2c3d4e5f60002",
                "routeTableIds", "rtb-0a1b2c3d4e5f60001,rtb-0a1b2c3d4e5f60002"));
        vpc.template().resourceCountIs("AWS::EC2::VPC", 0);
        vpc.template().hasResourceProperties("AWS::EMRServerless::Application", Match.objectLike(Map.of(
                "NetworkConfiguration", Match.objectLike(Map.of(
                        "SubnetIds", List.of("subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"))))));
        vpc.template().hasResourceProperties("AWS::EC2::VPCEndpoint", Match.objectLike(Map.of(
                "VpcId", "vpc-0a1b2c3d4e5f60000",
                "VpcEndpointType", "Gateway",
                "RouteTableIds", List.of("rtb-0a1b2c3d4e5f60001", "rtb-0a1b2c3d4e5f60002"))));
    }

    @Test
    void sizesComeFromContext()
    {
        Synth big = Synth.of(Map.of("env", "dev", "emrMaxVcpu", "32", "emrMaxMemoryGb", "128",
                "emrArchitecture", "x86_64"));
        big.template().hasResourceProperties("AWS::EMRServerless::Application", Match.objectLike(Map.of(
                "Architecture", "X86_64",
                "MaximumCapacity", Match.objectLike(Map.of("Cpu", "32 vCPU", "Memory", "128 GB")))));
    }

    @Test
    void outputsCarryWhatStartJobRunNeeds()
    {
        for (String output : List.of("EmrApplicationId", "EmrJobRoleArn", "EmrLogGroup", "ApplicationJarUri",
                "StreamingSparkSubmitParameters", "StreamName", "StreamArn", "LakeBucketName", "SilverUri",
                "CheckpointsUri", "QuarantineUri", "ArtifactsBucketName", "GlueDatabase", "GlueJobNames",
                "AthenaWorkGroup", "AlarmTopicArn", "KeyArn", "SchemaRegistryName", "GlueLauncherScriptUri")) {
            dev.template().hasOutput(output, Match.objectLike(Map.of("Value", Match.anyValue())));
        }
        dev.template().hasOutput("EmrApplicationId", Map.of(
                "Value", Map.of("Fn::GetAtt", List.of(logicalId("AWS::EMRServerless::Application"), "ApplicationId")),
                "Description", Match.anyValue()));
        dev.template().hasOutput("StreamingSparkSubmitParameters", Match.objectLike(Map.of(
                "Value", Match.stringLikeRegexp("--class io\\.sluice\\.cli\\.SluiceMain .*spark\\.executor\\.instances=2"))));
    }

    private String keyId()
    {
        return logicalId("AWS::KMS::Key");
    }

    private String logicalId(String type)
    {
        Map<String, Map<String, Object>> resources = dev.resources(type);
        assertThat(resources).hasSize(1);
        return resources.keySet().iterator().next();
    }
}
