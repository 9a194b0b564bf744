package io.sluice.source.kinesis;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.utils.SdkAutoCloseable;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/** Builds synchronous Kinesis clients on the Apache HTTP client from {@link KinesisClientSettings}. */
public final class KinesisClients
{
    // The local mock accepts any SigV4 signature; these only make signing possible when no real chain resolves.
    private static final AwsBasicCredentials LOCAL_CREDENTIALS = AwsBasicCredentials.create("sluice-local", "sluice-local");

    private KinesisClients() {}

    /**
     * A new client. With a role ARN, the STS client that refreshes its credentials is not closed with it (the SDK
     * leaves user-supplied credential providers open), so create one such client per process and keep it.
     */
    public static KinesisClient create(KinesisClientSettings settings)
    {
        return open(settings).client();
    }

    /** A client together with what was built for its credentials (STS client and provider); closing closes all. */
    record OwnedClient(KinesisClient client, List<SdkAutoCloseable> resources)
            implements AutoCloseable
    {
        OwnedClient
        {
            requireNonNull(client, "client is null");
            resources = List.copyOf(requireNonNull(resources, "resources is null"));
        }

        @Override
        public void close()
        {
            client.close();
            resources.forEach(SdkAutoCloseable::close);
        }
    }

    static OwnedClient open(KinesisClientSettings settings)
    {
        requireNonNull(settings, "settings is null");
        Region region = Region.of(settings.region());
        AwsCredentialsProvider credentials = baseCredentials(settings);
        List<SdkAutoCloseable> resources = new ArrayList<>();
        if (settings.roleArn().isPresent()) {
            StsClient sts = StsClient.builder()
                    .region(region)
                    .credentialsProvider(credentials)
                    .httpClientBuilder(ApacheHttpClient.builder())
                    .build();
            StsAssumeRoleCredentialsProvider roleCredentials = StsAssumeRoleCredentialsProvider.builder()
                    .stsClient(sts)
                    .refreshRequest(request -> request
                            .roleArn(settings.roleArn().get())
                            .roleSessionName(settings.roleSessionName().orElse(KinesisClientSettings.DEFAULT_ROLE_SESSION_NAME)))
                    .build();
            // Provider first: it may still use the STS client while closing.
            resources.add(roleCredentials);
            resources.add(sts);
            credentials = roleCredentials;
        }
        var builder = KinesisClient.builder()
                .region(region)
                .credentialsProvider(credentials)
                .httpClientBuilder(ApacheHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(10))
                        .socketTimeout(settings.apiCallTimeout())
                        .maxConnections(16))
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .apiCallTimeout(settings.apiCallTimeout())
                        .retryStrategy(retry -> retry.maxAttempts(settings.maxSdkAttempts()))
                        .build());
        settings.endpoint().ifPresent(builder::endpointOverride);
        return new OwnedClient(builder.build(), resources);
    }

    private static AwsCredentialsProvider baseCredentials(KinesisClientSettings settings)
    {
        DefaultCredentialsProvider chain = DefaultCredentialsProvider.builder().build();
        if (settings.endpoint().isEmpty()) {
            return chain;
        }
        // With an endpoint override (local mock) an empty chain must not stop signing: fall back to dummy keys.
        return AwsCredentialsProviderChain.builder()
                .reuseLastProviderEnabled(true)
                .credentialsProviders(chain, StaticCredentialsProvider.create(LOCAL_CREDENTIALS))
                .build();
    }
}
