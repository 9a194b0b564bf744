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
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

import java.time.Duration;

import static java.util.Objects.requireNonNull;

/** Builds synchronous Kinesis clients on the Apache HTTP client from {@link KinesisClientSettings}. */
public final class KinesisClients
{
    // The local mock accepts any SigV4 signature; these only make signing possible when no real chain resolves.
    private static final AwsBasicCredentials LOCAL_CREDENTIALS = AwsBasicCredentials.create("sluice-local", "sluice-local");

    private KinesisClients() {}

    public static KinesisClient create(KinesisClientSettings settings)
    {
        requireNonNull(settings, "settings is null");
        Region region = Region.of(settings.region());
        AwsCredentialsProvider credentials = baseCredentials(settings);
        if (settings.roleArn().isPresent()) {
            StsClient sts = StsClient.builder()
                    .region(region)
                    .credentialsProvider(credentials)
                    .httpClientBuilder(ApacheHttpClient.builder())
                    .build();
            credentials = StsAssumeRoleCredentialsProvider.builder()
                    .stsClient(sts)
                    .refreshRequest(request -> request
                            .roleArn(settings.roleArn().get())
                            .roleSessionName(settings.roleSessionName().orElse(KinesisClientSettings.DEFAULT_ROLE_SESSION_NAME)))
                    .build();
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
        return builder.build();
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
