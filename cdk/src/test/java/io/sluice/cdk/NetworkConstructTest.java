package io.sluice.cdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awscdk.assertions.Match;

/**
 * The jobs' network: a VPC without an internet route, an endpoint for every AWS service the code calls, 443-only
 * security groups, endpoint policies on this stack's resources, and EMR Serverless and Glue placed in it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NetworkConstructTest
{

    private static final Pattern SDK_SERVICE = Pattern.compile("import software\\.amazon\\.awssdk\\.services\\.([a-z0-9]+)\\.");
    /** AWS SDK v2 service modules and the VPC endpoint service they call. */
    private static final Map<String, String> ENDPOINT_OF_SDK_MODULE = Map.of(
            "kinesis", "kinesis-streams",
            "sts", "sts",
            "cloudwatch", "monitoring",
            "cloudwatchlogs", "logs",
            "s3", "s3",
            "glue", "glue",
            "kms", "kms",
            "dynamodb", "dynamodb");
    /** SDK modules only the operator's machine uses (sluice submit), never a job: no endpoint needed. */
    private static final Map<String, String> OPERATOR_SIDE = Map.of(
            "emrserverless", "sluice submit calls StartJobRun from the operator's machine");

    private Synth dev;
    private Set<String> endpoints;

    @BeforeAll
    void synth()
    {
        dev = Synth.dev();
        endpoints = new TreeSet<>();
        dev.resources("AWS::EC2::VPCEndpoint").values().forEach(r -> {
            String service = Policies.render(Policies.props(r).get("ServiceName"));
            endpoints.add(service.substring(service.lastIndexOf('.') + 1));
        });
    }

    /**
     * The services the jobs call, derived from the code: every AWS SDK v2 client module spark-app imports, S3A
     * (Hadoop's S3 file system, configured through fs.s3a.*), the Glue Data Catalog client the EMR application's
     * spark-defaults name, and the EMR-bundled Kinesis connector. A new client in the code without an endpoint
     * fails here, naming the service, instead of failing a deployment.
     */
    @Test
    void everyServiceTheCodeCallsHasAnEndpoint()
    {
        Map<String, String> needed = servicesCalledByTheJobs();
        assertThat(needed).containsKeys("kinesis-streams", "sts", "monitoring", "s3", "glue");
        for (Map.Entry<String, String> service : needed.entrySet()) {
            assertThat(endpoints)
                    .as("%s is called (%s) but the template has no VPC endpoint com.amazonaws.<region>.%s: add it to "
                            + "NetworkConstruct.INTERFACE_ENDPOINTS", service.getKey(), service.getValue(), service.getKey())
                    .contains(service.getKey());
        }
        // Called on the jobs' behalf rather than by their code: EMR Serverless ships the logs, S3 and Kinesis use the key.
        assertThat(endpoints).contains("logs", "kms");
    }

    static Map<String, String> servicesCalledByTheJobs()
    {
        Path root = SluiceApp.repositoryRoot().orElseThrow();
        Path sources = root.resolve("spark-app/src/main/java");
        Map<String, String> needed = new TreeMap<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String code = Files.readString(file);
                Matcher m = SDK_SERVICE.matcher(code);
                while (m.find()) {
                    String module = m.group(1);
                    if (OPERATOR_SIDE.containsKey(module)) {
                        continue;
                    }
                    String endpoint = ENDPOINT_OF_SDK_MODULE.get(module);
                    assertThat(endpoint).as("%s imports the AWS SDK module '%s', which this test cannot map to a VPC "
                                    + "endpoint: add it to ENDPOINT_OF_SDK_MODULE (and an endpoint to NetworkConstruct) "
                                    + "or, if only the operator's machine calls it, to OPERATOR_SIDE",
                            sources.relativize(file), module).isNotNull();
                    needed.putIfAbsent(endpoint, "AWS SDK " + module + " in " + file.getFileName());
                }
                if (code.contains("\"fs.s3a.")) {
                    needed.putIfAbsent("s3", "S3A configured in " + file.getFileName());
                }
                if (code.contains("aws-kinesis")) {
                    needed.putIfAbsent("kinesis-streams", "the EMR Kinesis connector named in " + file.getFileName());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (SparkDefaults.properties().values().stream().anyMatch(v -> v.contains("AWSGlueDataCatalog"))) {
            needed.putIfAbsent("glue", "the Glue Data Catalog metastore in the EMR application's spark-defaults");
        }
        return needed;
    }

    @Test
    void privateSubnetsWithoutAnyRouteToTheInternet()
    {
        dev.template().resourceCountIs("AWS::EC2::VPC", 1);
        dev.template().resourceCountIs("AWS::EC2::InternetGateway", 0);
        dev.template().resourceCountIs("AWS::EC2::NatGateway", 0);
        dev.template().resourceCountIs("AWS::EC2::Subnet", 2);
        dev.template().allResourcesProperties("AWS::EC2::Subnet", Match.objectLike(Map.of("MapPublicIpOnLaunch", false)));
        // The only routes are the S3 gateway endpoint's, which CloudFormation adds to the route tables itself.
        dev.template().resourceCountIs("AWS::EC2::Route", 0);
        dev.template().hasResourceProperties("AWS::EC2::FlowLog", Match.objectLike(Map.of(
                "LogDestinationType", "s3", "TrafficType", "ALL")));
    }

    @Test
    void s3IsAGatewayTheOthersInterfacesWithPrivateDnsBehindTheEndpointGroup()
    {
        dev.template().hasResourceProperties("AWS::EC2::VPCEndpoint", Match.objectLike(Map.of(
                "VpcEndpointType", "Gateway",
                "ServiceName", Match.objectLike(Map.of("Fn::Join", Match.arrayWith(List.of(
                        Match.arrayWith(List.of(".s3")))))))));
        assertThat(endpoints).containsExactlyInAnyOrder("s3", "kinesis-streams", "sts", "monitoring", "logs", "kms", "glue");
        String endpointGroup = groupId("sluice-dev-endpoints");
        dev.template().allResourcesProperties("AWS::EC2::VPCEndpoint", Match.objectLike(Map.of(
                "PolicyDocument", Match.anyValue())));
        dev.resources("AWS::EC2::VPCEndpoint").values().stream().map(Policies::props)
                .filter(p -> "Interface".equals(p.get("VpcEndpointType")))
                .forEach(p -> {
                    assertThat(p.get("PrivateDnsEnabled")).isEqualTo(true);
                    assertThat(Policies.list(p.get("SecurityGroupIds")))
                            .containsExactly(Map.of("Fn::GetAtt", List.of(endpointGroup, "GroupId")));
                });
    }

    @Test
    void securityGroupsAllowOnlyHttpsOutAndGlueWorkersToEachOther()
    {
        for (Map<String, Object> group : dev.resources("AWS::EC2::SecurityGroup").values()) {
            Map<String, Object> props = Policies.props(group);
            for (Object rule : Policies.list(props.get("SecurityGroupEgress"))) {
                Map<String, Object> egress = Policies.map(rule);
                // CDK's placeholder for "no egress" is an ICMP rule to 255.255.255.255/32, which matches nothing.
                if ("255.255.255.255/32".equals(egress.get("CidrIp"))) {
                    continue;
                }
                assertThat(egress).as("%s egress", props.get("GroupName")).containsEntry("FromPort", 443)
                        .containsEntry("ToPort", 443).containsEntry("IpProtocol", "tcp");
            }
            assertThat(Policies.list(props.get("SecurityGroupIngress"))).as("inline ingress of %s", props.get("GroupName"))
                    .isEmpty();
        }
        String emr = groupId("sluice-dev-emr");
        String glue = groupId("sluice-dev-glue");
        String endpointGroup = groupId("sluice-dev-endpoints");
        for (Map<String, Object> ingress : dev.resources("AWS::EC2::SecurityGroupIngress").values()) {
            Map<String, Object> p = Policies.props(ingress);
            Object target = Policies.list(p.get("GroupId")).get(0);
            Object source = p.get("SourceSecurityGroupId");
            if (target.equals(Map.of("Fn::GetAtt", List.of(endpointGroup, "GroupId")))) {
                assertThat(p).containsEntry("FromPort", 443).containsEntry("ToPort", 443);
                assertThat(List.<Object>of(Map.of("Fn::GetAtt", List.of(emr, "GroupId")), Map.of("Fn::GetAtt", List.of(glue, "GroupId"))))
                        .contains(source);
            } else {
                // Glue's documented requirement: workers of a job run reach each other on every TCP port.
                assertThat(target).isEqualTo(Map.of("Fn::GetAtt", List.of(glue, "GroupId")));
                assertThat(source).isEqualTo(target);
            }
        }
        dev.template().hasResourceProperties("AWS::EC2::SecurityGroupEgress", Match.objectLike(Map.of(
                "GroupId", Map.of("Fn::GetAtt", List.of(glue, "GroupId")),
                "DestinationSecurityGroupId", Map.of("Fn::GetAtt", List.of(glue, "GroupId")))));
        assertThat(dev.resources("AWS::EC2::SecurityGroupEgress")).hasSize(1);
    }

    @Test
    void endpointPoliciesNameOnlyThisStacksResourcesForThisAccount()
    {
        for (Map<String, Object> endpoint : dev.resources("AWS::EC2::VPCEndpoint").values()) {
            Map<String, Object> props = Policies.props(endpoint);
            String service = Policies.render(props.get("ServiceName"));
            for (Object s : Policies.list(Policies.map(props.get("PolicyDocument")).get("Statement"))) {
                Map<String, Object> statement = Policies.map(s);
                assertThat(statement.get("Effect")).isEqualTo("Allow");
                assertThat(Policies.map(Policies.map(statement.get("Condition")).get("StringEquals")))
                        .as("%s %s", service, statement.get("Sid"))
                        .containsEntry("aws:PrincipalAccount", Map.of("Ref", "AWS::AccountId"));
                for (String resource : Policies.list(statement.get("Resource")).stream().map(Policies::render).toList()) {
                    assertThat(resource).as("%s %s", service, statement.get("Sid")).matches(
                            "<(StorageLake|StorageArtifacts|Stream|EncryptionKey|CatalogRegistry|EmrLogs|GlueLogs[a-z]*)[0-9A-F]{8}\\.Arn>.*"
                                    + "|arn:<AWS::Partition>:glue:<AWS::Region>:<AWS::AccountId>:.*(sluice|default|catalog|connection).*"
                                    + "|arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:\\*"
                                    // STS (a role in the stream owner's account) and PutMetricData (no resources).
                                    + "|\\*");
                    if (resource.equals("*")) {
                        assertThat(service).matches(".*\\.(sts|monitoring)");
                    }
                }
            }
        }
    }

    @Test
    void glueJobsRunInTheVpcThroughANetworkConnection()
    {
        String glue = groupId("sluice-dev-glue");
        dev.template().hasResourceProperties("AWS::Glue::Connection", Match.objectLike(Map.of(
                "ConnectionInput", Match.objectLike(Map.of(
                        "Name", "sluice-dev-network",
                        "ConnectionType", "NETWORK",
                        "PhysicalConnectionRequirements", Match.objectLike(Map.of(
                                "SubnetId", Match.objectLike(Map.of("Ref", Match.anyValue())),
                                "SecurityGroupIdList", List.of(Map.of("Fn::GetAtt", List.of(glue, "GroupId"))))))))));
        dev.template().allResourcesProperties("AWS::Glue::Job", Match.objectLike(Map.of(
                "Connections", Map.of("Connections", List.of("sluice-dev-network")))));
    }

    private String groupId(String name)
    {
        return dev.resources("AWS::EC2::SecurityGroup").entrySet().stream()
                .filter(e -> name.equals(Policies.props(e.getValue()).get("GroupName")))
                .map(Map.Entry::getKey).findFirst().orElseThrow(() -> new AssertionError("no security group " + name));
    }
}
