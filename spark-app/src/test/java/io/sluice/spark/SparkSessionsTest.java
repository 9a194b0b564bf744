package io.sluice.spark;

import io.sluice.config.SluiceConfig;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

final class SparkSessionsTest
{
    private static final String DEFAULT_CHAIN = "software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider";

    @Test
    void localRunsGetTheDefaultCredentialChainAndTheS3KeysThatAreSet()
    {
        assertThat(SparkSessions.s3aSettings(SluiceConfig.defaults()))
                .containsExactly(Map.entry("fs.s3a.aws.credentials.provider", DEFAULT_CHAIN));

        SluiceConfig s3Compatible = SluiceConfig.defaults().with(Map.of(
                "lake.s3.endpoint", "http://127.0.0.1:9000",
                "lake.s3.region", "eu-west-1",
                "lake.s3.path-style-access", "true"));
        assertThat(SparkSessions.s3aSettings(s3Compatible)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "fs.s3a.aws.credentials.provider", DEFAULT_CHAIN,
                "fs.s3a.endpoint", "http://127.0.0.1:9000",
                "fs.s3a.endpoint.region", "eu-west-1",
                "fs.s3a.path.style.access", "true"));
    }

    @Test
    void platformRunsKeepThePlatformsS3Setup()
    {
        // spark.master empty: spark-submit on EMR Serverless or Glue, whose image configures S3 (and EMRFS for s3://).
        assertThat(SparkSessions.s3aSettings(SluiceConfig.defaults().with(Map.of("spark.master", "")))).isEmpty();
        assertThat(SparkSessions.s3aSettings(SluiceConfig.defaults().with(Map.of("spark.master", "", "lake.s3.region", "eu-west-1"))))
                .containsExactly(Map.entry("fs.s3a.endpoint.region", "eu-west-1"));
    }
}
