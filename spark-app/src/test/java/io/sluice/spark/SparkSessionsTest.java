package io.sluice.spark;

import io.sluice.config.SluiceConfig;
import io.sluice.testing.ExtensionContextResolver;
import io.sluice.testing.SharedSpark;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(ExtensionContextResolver.class)
final class SparkSessionsTest
{
    private static final String EXCLUDED_RULES = "spark.sql.optimizer.excludedRules";
    private static final String USERS_RULE = "org.apache.spark.sql.catalyst.optimizer.CombineUnions";
    /** What each micro-batch of the query below saw; static because Spark serializes the batch function. */
    private static final ConcurrentLinkedQueue<String> SEEN_BY_BATCHES = new ConcurrentLinkedQueue<>();

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

    @Test
    void onlyTheStreamingQuerysSessionLeavesOutTheStreamRulesAndAUsersOwnExclusionsStay(ExtensionContext context, @TempDir Path directory)
            throws Exception
    {
        SparkSession spark = SharedSpark.session(context);
        Path input = Files.createDirectories(directory.resolve("input"));
        Files.writeString(input.resolve("part.txt"), "a\nb\n");
        spark.conf().set(EXCLUDED_RULES, USERS_RULE);
        SEEN_BY_BATCHES.clear();
        try {
            Dataset<Row> lines = spark.readStream().format("text").load(input.toString());
            VoidFunction2<Dataset<Row>, Long> recordSettings = (batch, id) -> SEEN_BY_BATCHES.add(batch.sparkSession().conf().get(EXCLUDED_RULES));
            StreamingQuery query = SparkSessions.startStream(spark, () -> lines.writeStream()
                    .option("checkpointLocation", directory.resolve("checkpoint").toString())
                    .trigger(Trigger.AvailableNow())
                    .foreachBatch(recordSettings)
                    .start());
            assertThat(spark.conf().get(EXCLUDED_RULES)).isEqualTo(USERS_RULE);
            query.awaitTermination();

            String expected = USERS_RULE + "," + SparkSessions.STREAM_QUERY_SETTINGS.get(EXCLUDED_RULES);
            assertThat(List.copyOf(SEEN_BY_BATCHES)).containsExactly(expected);
            assertThat(spark.conf().get(EXCLUDED_RULES)).isEqualTo(USERS_RULE);
        }
        finally {
            spark.conf().unset(EXCLUDED_RULES);
        }
        assertThat(spark.conf().getOption(EXCLUDED_RULES).isEmpty()).isTrue();
    }
}
