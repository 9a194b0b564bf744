package io.sluice.source.kinesis;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kinesis.KinesisClient;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class KinesisClientsTest
{
    @Test
    void buildsAndClosesClientsWithAndWithoutRole()
    {
        KinesisClientSettings local = KinesisClientSettings.forEndpoint("us-east-1", URI.create("http://127.0.0.1:1"));
        try (KinesisClient client = KinesisClients.create(local)) {
            assertThat(client.serviceClientConfiguration().region().id()).isEqualTo("us-east-1");
            assertThat(client.serviceClientConfiguration().endpointOverride()).contains(URI.create("http://127.0.0.1:1"));
        }
        KinesisClients.OwnedClient withRole = KinesisClients.open(local.withRole("arn:aws:iam::123456789012:role/reader", "sluice-test"));
        assertThat(withRole.resources()).hasSize(2);
        withRole.close();
    }

    @Test
    void rejectsInvalidSettings()
    {
        assertThatThrownBy(() -> new KinesisClientSettings(" ", Optional.empty(), Optional.empty(), Optional.empty(), Duration.ofSeconds(1), 1))
                .hasMessage("Invalid region: blank");
        assertThatThrownBy(() -> KinesisClientSettings.forRegion("us-east-1").withMaxSdkAttempts(0))
                .hasMessage("Invalid maxSdkAttempts: 0");
    }
}
