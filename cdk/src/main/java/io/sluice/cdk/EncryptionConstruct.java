package io.sluice.cdk;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.Key;
import software.constructs.Construct;

/**
 * The one customer-managed KMS key that encrypts the stream, the data buckets, logs, the alarm topic,
 * Athena results and Glue job output. One key keeps the grants simple; rotation is on.
 *
 * <p>The key policy keeps CDK's default (the account administers the key through IAM) and adds only the
 * AWS services that encrypt with it on their own behalf and can't be granted through an IAM role:
 * CloudWatch Logs (encrypted log groups), CloudWatch alarms and EventBridge (publishing to the encrypted
 * SNS topic). Each is scoped by source account, and Logs by the log-group ARN in the encryption context.
 */
public final class EncryptionConstruct extends Construct
{

    private final Key key;

    public EncryptionConstruct(Construct scope, String id, SluiceSettings settings)
    {
        super(scope, id);
        requireNonNull(settings, "settings");
        Stack stack = Stack.of(this);

        this.key = Key.Builder.create(this, "Key")
                .alias("alias/" + settings.prefix())
                .description("Sluice " + settings.envName() + ": stream, lake, artifacts, logs, alarms")
                .enableKeyRotation(true)
                .rotationPeriod(Duration.days(365))
                // A deleted key makes every object it encrypted unreadable: never delete it in prod.
                .removalPolicy(settings.retainData() ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY)
                .pendingWindow(Duration.days(settings.retainData() ? 30 : 7))
                .build();

        key.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid("AllowCloudWatchLogs")
                .effect(Effect.ALLOW)
                .principals(List.of(new ServicePrincipal("logs." + stack.getRegion() + ".amazonaws.com")))
                .actions(List.of("kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*",
                        "kms:Describe*"))
                .resources(List.of("*"))
                .conditions(Map.of("ArnLike", Map.of("kms:EncryptionContext:aws:logs:arn",
                        stack.formatArn(ArnComponents.builder()
                                .service("logs")
                                .resource("log-group")
                                .resourceName("*")
                                .arnFormat(ArnFormat.COLON_RESOURCE_NAME)
                                .build()))))
                .build());

        // The publishers of the encrypted alarm topic, each held to this account and to this deployment's alarms
        // and rules (named, not referenced: the rules and alarms depend on the topic, which depends on the key).
        Map<String, String> publishers = new TreeMap<>(Map.of(
                "cloudwatch.amazonaws.com", stack.formatArn(ArnComponents.builder()
                        .service("cloudwatch").resource("alarm").resourceName(settings.prefix() + "-*")
                        .arnFormat(ArnFormat.COLON_RESOURCE_NAME).build()),
                "events.amazonaws.com", ""));
        for (Map.Entry<String, String> publisher : publishers.entrySet()) {
            String service = publisher.getKey();
            List<String> sources = service.startsWith("events")
                    ? MonitoringConstruct.ruleNames(settings).stream().map(name -> stack.formatArn(ArnComponents.builder()
                            .service("events").resource("rule").resourceName(name)
                            .arnFormat(ArnFormat.SLASH_RESOURCE_NAME).build())).toList()
                    : List.of(publisher.getValue());
            key.addToResourcePolicy(PolicyStatement.Builder.create()
                    .sid("AllowPublishToEncryptedTopicBy" + service.substring(0, service.indexOf('.')))
                    .effect(Effect.ALLOW)
                    .principals(List.of(new ServicePrincipal(service)))
                    .actions(List.of("kms:Decrypt", "kms:GenerateDataKey*"))
                    .resources(List.of("*"))
                    .conditions(new TreeMap<>(Map.of(
                            "StringEquals", Map.of("aws:SourceAccount", stack.getAccount()),
                            "ArnLike", Map.of("aws:SourceArn", sources))))
                    .build());
        }
    }

    public Key key()
    {
        return key;
    }
}
