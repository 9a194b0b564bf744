package io.sluice.cdk;

import static java.util.Objects.requireNonNull;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import java.util.List;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.kinesis.Stream;
import software.amazon.awscdk.services.kinesis.StreamEncryption;
import software.amazon.awscdk.services.kinesis.StreamMode;
import software.amazon.awscdk.services.kms.IKey;
import software.constructs.Construct;

/**
 * The Kinesis Data Stream the CloudEvents arrive on, encrypted with the CMK. On-demand by default (no
 * capacity planning; pay per GB); provisioned with a fixed shard count when {@code streamCapacity=provisioned}.
 */
public final class StreamConstruct extends Construct
{

    private final Stream stream;

    public StreamConstruct(Construct scope, String id, SluiceSettings settings, IKey key)
    {
        super(scope, id);
        requireNonNull(settings, "settings");
        requireNonNull(key, "key");
        Stream.Builder builder = Stream.Builder.create(this, "Stream")
                .streamName(settings.prefix() + "-events")
                .encryption(StreamEncryption.KMS)
                .encryptionKey(key)
                .retentionPeriod(Duration.hours(settings.streamRetentionHours()))
                // Unread events are data too: a prod stack deletion must not drop them.
                .removalPolicy(settings.retainData() ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY);
        if (settings.streamCapacity() == SluiceSettings.StreamCapacity.PROVISIONED) {
            builder.streamMode(StreamMode.PROVISIONED).shardCount(settings.shardCount());
        } else {
            builder.streamMode(StreamMode.ON_DEMAND);
        }
        this.stream = builder.build();
        NagSuppressions.addResourceSuppressions(stream, List.of(NagPackSuppression.builder()
                .id("AwsSolutions-KDS3")
                .reason("Encrypted with the project's customer-managed key (rotation on, key policy in our control) "
                        + "rather than the AWS-managed aws/kinesis key, deliberately: one key for the whole pipeline.")
                .build()));
    }

    public Stream stream()
    {
        return stream;
    }
}
