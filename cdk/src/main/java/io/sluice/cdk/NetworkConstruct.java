package io.sluice.cdk;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.services.ec2.FlowLogDestination;
import software.amazon.awscdk.services.ec2.FlowLogOptions;
import software.amazon.awscdk.services.ec2.FlowLogTrafficType;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpoint;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointAwsService;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointOptions;
import software.amazon.awscdk.services.ec2.ISubnet;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.InterfaceVpcEndpoint;
import software.amazon.awscdk.services.ec2.InterfaceVpcEndpointAwsService;
import software.amazon.awscdk.services.ec2.IpAddresses;
import software.amazon.awscdk.services.ec2.Peer;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SubnetConfiguration;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.ec2.VpcAttributes;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.s3.IBucket;
import software.constructs.Construct;

/**
 * The network the jobs run in. EMR Serverless reaches Kinesis only from a VPC (with an endpoint or a NAT
 * gateway), so the application always gets one: by default a VPC this stack builds with private subnets and no
 * route to the internet (no internet or NAT gateway), or, by context, subnets of a VPC that exists.
 *
 * <p>Every AWS service the jobs call is reached through a VPC endpoint in those subnets: S3 through a gateway
 * endpoint, the others ({@link #INTERFACE_ENDPOINTS}) through interface endpoints with private DNS, so the SDK's
 * default endpoint names resolve to them. The test NetworkConstructTest derives the list of services from
 * spark-app's code and fails when one has no endpoint here. Endpoint policies ({@link EndpointPolicies}) allow
 * only this stack's resources.
 *
 * <p>Security groups: the endpoints accept 443 from the job groups and nothing else; the EMR Serverless group
 * sends 443 only. With no internet route, 443 to anywhere reaches only the endpoints and S3's gateway (an S3 prefix
 * list rule would need a lookup, which offline synthesis forbids). Glue's group must also let its workers talk to
 * each other on every TCP port (Glue's documented requirement for jobs with a connection), so it references
 * itself; nothing outside the group is allowed in.
 */
public final class NetworkConstruct extends Construct
{

    /**
     * Interface endpoints, by the name AWS gives their service ({@code com.amazonaws.<region>.<name>}): Kinesis
     * (the stream), STS (source.role-arn, and the SDK's identity look-ups), CloudWatch metrics (BatchMetrics),
     * CloudWatch Logs (job logs), KMS (the key of the stream, buckets and logs), Glue (the Data Catalog
     * metastore the jobs use through spark-defaults).
     */
    public static final Map<String, InterfaceVpcEndpointAwsService> INTERFACE_ENDPOINTS = orderedEndpoints();
    /** The gateway endpoint's service name. */
    public static final String S3 = "s3";

    private final IVpc vpc;
    private final SubnetSelection subnets;
    private final SecurityGroup endpointsGroup;
    private final SecurityGroup emrGroup;
    private final SecurityGroup glueGroup;
    private final GatewayVpcEndpoint s3Endpoint;
    private final Map<String, InterfaceVpcEndpoint> interfaceEndpoints = new LinkedHashMap<>();

    public NetworkConstruct(Construct scope, String id, SluiceSettings settings, IBucket flowLogBucket)
    {
        super(scope, id);
        requireNonNull(settings, "settings");
        requireNonNull(flowLogBucket, "flowLogBucket");

        if (settings.importsVpc()) {
            this.vpc = Vpc.fromVpcAttributes(this, "Vpc", VpcAttributes.builder()
                    .vpcId(settings.vpcId().orElseThrow())
                    .availabilityZones(settings.availabilityZones())
                    .isolatedSubnetIds(settings.subnetIds())
                    .isolatedSubnetRouteTableIds(settings.routeTableIds())
                    .build());
        } else {
            Vpc built = Vpc.Builder.create(this, "Vpc")
                    .vpcName(settings.prefix())
                    .ipAddresses(IpAddresses.cidr("10.80.0.0/16"))
                    .maxAzs(2)
                    // No internet gateway and no NAT: the jobs reach AWS through the endpoints below only.
                    .natGateways(0)
                    .subnetConfiguration(List.of(SubnetConfiguration.builder()
                            .name("jobs")
                            .subnetType(SubnetType.PRIVATE_ISOLATED)
                            .cidrMask(20)
                            .build()))
                    .build();
            // Rejected connections are how a missing endpoint or rule shows itself; S3, no KMS cost.
            built.addFlowLog("FlowLog", FlowLogOptions.builder()
                    .destination(FlowLogDestination.toS3(flowLogBucket, "vpc-flow-logs/"))
                    .trafficType(FlowLogTrafficType.ALL)
                    .build());
            this.vpc = built;
        }
        this.subnets = SubnetSelection.builder().subnetType(SubnetType.PRIVATE_ISOLATED).build();

        this.endpointsGroup = group("EndpointsGroup", settings.prefix() + "-endpoints",
                "Sluice " + settings.envName() + " VPC endpoints: 443 from the job groups only");
        this.emrGroup = group("EmrGroup", settings.prefix() + "-emr",
                "Sluice " + settings.envName() + " EMR Serverless jobs: HTTPS out only");
        this.glueGroup = group("GlueGroup", settings.prefix() + "-glue",
                "Sluice " + settings.envName() + " Glue jobs: HTTPS out, worker to worker inside the group");
        for (SecurityGroup jobs : List.of(emrGroup, glueGroup)) {
            jobs.addEgressRule(Peer.anyIpv4(), Port.tcp(443),
                    "HTTPS to the VPC endpoints and the S3 gateway (no other route exists)");
            endpointsGroup.addIngressRule(jobs, Port.tcp(443), "HTTPS from " + jobs.getNode().getId());
        }
        glueGroup.addIngressRule(glueGroup, Port.allTcp(), "Glue workers of one job run talk to each other");
        glueGroup.addEgressRule(glueGroup, Port.allTcp(), "Glue workers of one job run talk to each other");

        this.s3Endpoint = vpc.addGatewayEndpoint("S3", GatewayVpcEndpointOptions.builder()
                .service(GatewayVpcEndpointAwsService.S3)
                .subnets(List.of(subnets))
                .build());
        INTERFACE_ENDPOINTS.forEach((name, service) -> interfaceEndpoints.put(name,
                InterfaceVpcEndpoint.Builder.create(this, "Endpoint-" + name)
                        .vpc(vpc)
                        .service(service)
                        .subnets(subnets)
                        .securityGroups(List.of(endpointsGroup))
                        .privateDnsEnabled(true)
                        // Not open to the whole VPC: only the job groups' rules above let traffic in.
                        .open(false)
                        .build()));
    }

    private static Map<String, InterfaceVpcEndpointAwsService> orderedEndpoints()
    {
        Map<String, InterfaceVpcEndpointAwsService> endpoints = new LinkedHashMap<>();
        endpoints.put("kinesis-streams", InterfaceVpcEndpointAwsService.KINESIS_STREAMS);
        endpoints.put("sts", InterfaceVpcEndpointAwsService.STS);
        endpoints.put("monitoring", InterfaceVpcEndpointAwsService.CLOUDWATCH_MONITORING);
        endpoints.put("logs", InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS);
        endpoints.put("kms", InterfaceVpcEndpointAwsService.KMS);
        endpoints.put("glue", InterfaceVpcEndpointAwsService.GLUE);
        return java.util.Collections.unmodifiableMap(endpoints);
    }

    private SecurityGroup group(String id, String name, String description)
    {
        return SecurityGroup.Builder.create(this, id)
                .vpc(vpc)
                .securityGroupName(name)
                .description(description)
                .allowAllOutbound(false)
                .build();
    }

    /** Adds a statement to the policy of the endpoint for {@code service} (an interface endpoint's name, or s3). */
    public void allow(String service, PolicyStatement statement)
    {
        requireNonNull(statement, "statement");
        if (S3.equals(service)) {
            s3Endpoint.addToPolicy(statement);
            return;
        }
        InterfaceVpcEndpoint endpoint = interfaceEndpoints.get(service);
        if (endpoint == null) {
            throw new IllegalArgumentException("no VPC endpoint for " + service + "; have " + interfaceEndpoints.keySet());
        }
        endpoint.addToPolicy(statement);
    }

    public IVpc vpc()
    {
        return vpc;
    }

    public List<String> subnetIds()
    {
        return vpc.selectSubnets(subnets).getSubnetIds();
    }

    /** The subnet Glue's NETWORK connection places a job in (a connection names exactly one). */
    public ISubnet glueSubnet()
    {
        return vpc.selectSubnets(subnets).getSubnets().get(0);
    }

    public SecurityGroup emrGroup()
    {
        return emrGroup;
    }

    public SecurityGroup glueGroup()
    {
        return glueGroup;
    }

    public SecurityGroup endpointsGroup()
    {
        return endpointsGroup;
    }
}
