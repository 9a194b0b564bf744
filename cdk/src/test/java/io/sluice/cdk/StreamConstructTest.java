package io.sluice.cdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;

class StreamConstructTest
{

    @Test
    void devStreamIsOnDemandAndEncryptedWithTheCmk()
    {
        Synth dev = Synth.dev();
        dev.template().resourceCountIs("AWS::Kinesis::Stream", 1);
        dev.template().hasResourceProperties("AWS::Kinesis::Stream", Map.of(
                "Name", "sluice-dev-events",
                "RetentionPeriodHours", 24,
                "StreamModeDetails", Map.of("StreamMode", "ON_DEMAND"),
                "ShardCount", Match.absent(),
                "StreamEncryption", Map.of(
                        "EncryptionType", "KMS",
                        "KeyId", Match.objectLike(Map.of("Fn::GetAtt", Match.arrayWith(List.of("Arn")))))));
    }

    @Test
    void provisionedCapacityComesFromContext()
    {
        Synth provisioned = Synth.of(Map.of("env", "dev", "streamCapacity", "provisioned", "shardCount", "3"));
        provisioned.template().hasResourceProperties("AWS::Kinesis::Stream", Map.of(
                "ShardCount", 3,
                "StreamModeDetails", Map.of("StreamMode", "PROVISIONED")));
        assertThat(provisioned.stack().stream().stream().getStreamName()).isNotNull();
    }
}
