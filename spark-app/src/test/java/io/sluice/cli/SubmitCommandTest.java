package io.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.sluice.config.ConfigKeys;
import io.sluice.config.SluiceConfig;
import io.sluice.submit.SparkSubmitParameters;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code sluice submit} end to end against stand-ins on 127.0.0.1: S3Proxy for the upload, and a JDK HTTP server in the
 * place of the EMR Serverless StartJobRun endpoint (nothing can run EMR Serverless locally). The SDK clients find them
 * through the SDK's standard endpoint settings, as system properties here.
 */
final class SubmitCommandTest
{
    private static final String APPLICATION_ID = "00fabcdef1234567";
    private static final String ARTIFACTS_BUCKET = "sluice-dev-artifacts";
    private static final String ACCESS_KEY = "sluice-test";
    private static final String SECRET_KEY = "sluice-test-secret";
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final S3ProxyExtension s3Proxy = S3ProxyExtension.builder().withCredentials(ACCESS_KEY, SECRET_KEY).build();

    private record Captured(String method, String path, Map<String, List<String>> headers, String body) {}

    private record Result(int exitCode, String out, String err) {}

    private final List<Captured> startJobRuns = new CopyOnWriteArrayList<>();
    private final Map<String, String> savedProperties = new HashMap<>();
    private HttpServer emr;
    private volatile int emrStatus = 200;
    private volatile String emrResponse = "{\"applicationId\":\"" + APPLICATION_ID + "\",\"jobRunId\":\"00fjobrun0000001\","
            + "\"arn\":\"arn:aws:emr-serverless:eu-west-1:123456789012:/applications/" + APPLICATION_ID + "/jobruns/00fjobrun0000001\"}";
    private S3Client s3;
    private Path jar;
    private Path outputs;

    @BeforeEach
    void start(@TempDir Path directory)
            throws IOException
    {
        emr = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        emr.createContext("/", this::startJobRun);
        emr.start();
        setProperty("aws.accessKeyId", ACCESS_KEY);
        setProperty("aws.secretAccessKey", SECRET_KEY);
        setProperty("aws.endpointUrlS3", s3Proxy.getUri().toString());
        setProperty("aws.endpointUrlEmrServerless", "http://127.0.0.1:" + emr.getAddress().getPort());
        // S3Proxy 3.0 cannot verify the CRC trailer the SDK adds to uploads by default (S3 can): the SDK's standard
        // switch (AWS_REQUEST_CHECKSUM_CALCULATION) makes it sign the payload the classic way.
        setProperty("aws.requestChecksumCalculation", "when_required");

        s3 = S3Client.builder()
                // us-east-1: the SDK sends no location constraint, which S3Proxy's file system store would refuse.
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .forcePathStyle(true)
                .build();
        s3.createBucket(request -> request.bucket(ARTIFACTS_BUCKET));

        byte[] content = new byte[300_000];
        new Random(7).nextBytes(content);
        jar = Files.write(directory.resolve("sluice-spark-app-0.1.0-SNAPSHOT-emr.jar"), content);
        outputs = Files.writeString(directory.resolve("sluice-dev-outputs.json"), """
                {"Sluice-dev": {
                  "EmrApplicationId": "%s",
                  "EmrJobRoleArn": "arn:aws:iam::123456789012:role/sluice-dev-emr-job",
                  "EmrLogGroup": "/aws/emr-serverless/sluice-dev",
                  "ArtifactsBucketName": "%s",
                  "KeyArn": "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
                  "LakeBucketName": "sluice-dev-lake",
                  "CheckpointsUri": "s3://sluice-dev-lake/checkpoints/",
                  "StreamName": "sluice-dev-events",
                  "StreamArn": "arn:aws:kinesis:eu-west-1:123456789012:stream/sluice-dev-events",
                  "MetricsNamespace": "Sluice/dev",
                  "AthenaWorkGroup": "sluice-dev"}}
                """.formatted(APPLICATION_ID, ARTIFACTS_BUCKET));
    }

    @AfterEach
    void stop()
    {
        emr.stop(0);
        s3.close();
        savedProperties.forEach((name, value) -> {
            if (value == null) {
                System.clearProperty(name);
            }
            else {
                System.setProperty(name, value);
            }
        });
    }

    @Test
    void uploadsTheJarAndSendsExactlyTheRequestTheDryRunPrints()
            throws Exception
    {
        List<String> arguments = List.of("submit", "stream", "--stack-outputs", outputs.toString(), "--jar", jar.toString(),
                "--client-token", "test-token-1", "-c", emrConf().toString(), "--set", "source.connector=aws-kinesis");

        Result dryRun = run(concat(arguments, "--dry-run"));
        assertThat(dryRun.exitCode()).as(dryRun.err()).isZero();
        assertThat(startJobRuns).isEmpty();
        assertThat(s3.listObjectsV2(request -> request.bucket(ARTIFACTS_BUCKET)).contents()).isEmpty();
        ObjectNode printed = (ObjectNode) JSON.readTree(dryRun.out());

        Result submitted = run(arguments);
        assertThat(submitted.exitCode()).as(submitted.err()).isZero();
        String key = "jars/sluice-spark-app-0.1.0-SNAPSHOT-emr-" + sha256(jar).substring(0, 16) + ".jar";
        assertThat(s3.getObjectAsBytes(request -> request.bucket(ARTIFACTS_BUCKET).key(key)).asByteArray()).isEqualTo(Files.readAllBytes(jar));
        assertThat(s3.headObject(request -> request.bucket(ARTIFACTS_BUCKET).key(key)).metadata()).containsEntry("sha256", sha256(jar));
        assertThat(submitted.out()).contains("started job run 00fjobrun0000001 (sluice-stream, STREAMING) on application " + APPLICATION_ID);

        assertThat(startJobRuns).singleElement().satisfies(request -> {
            assertThat(request.method()).isEqualTo("POST");
            assertThat(request.path()).isEqualTo("/applications/" + APPLICATION_ID + "/jobruns");
            assertThat(request.headers().get("Authorization")).singleElement().asString()
                    .startsWith("AWS4-HMAC-SHA256 Credential=" + ACCESS_KEY + "/")
                    .contains("/eu-west-1/emr-serverless/aws4_request");
            ObjectNode expected = printed.deepCopy();
            expected.remove("applicationId"); // a path parameter of the API, a field of --cli-input-json
            assertThat(JSON.readTree(request.body())).isEqualTo(expected);
        });

        JsonNode sparkSubmit = printed.get("jobDriver").get("sparkSubmit");
        assertThat(sparkSubmit.get("entryPoint").asText()).isEqualTo("s3://" + ARTIFACTS_BUCKET + "/" + key);
        assertThat(sparkSubmit.get("sparkSubmitParameters").asText())
                .startsWith("--class io.sluice.cli.SluiceMain --jars /usr/share/aws/delta/lib/delta-spark.jar,/usr/share/aws/delta/lib/delta-storage.jar,"
                        + "/usr/share/aws/kinesis/spark-sql-kinesis/lib/spark-streaming-sql-kinesis-connector.jar --conf ");
        assertThat(printed.get("mode").asText()).isEqualTo("STREAMING");
        assertThat(printed.get("clientToken").asText()).isEqualTo("test-token-1");
        assertThat(printed.get("configurationOverrides").get("monitoringConfiguration").get("s3MonitoringConfiguration").get("logUri").asText())
                .isEqualTo("s3://" + ARTIFACTS_BUCKET + "/emr-logs/");

        // The job's own command line parses the arguments into the configuration submit checked.
        List<String> entryPointArguments = JSON.convertValue(sparkSubmit.get("entryPointArguments"), JSON.getTypeFactory()
                .constructCollectionType(List.class, String.class));
        CommandLine.ParseResult parsed = SluiceMain.commandLine().parseArgs(entryPointArguments.toArray(String[]::new));
        assertThat(parsed.subcommand().commandSpec().name()).isEqualTo("stream");
        SluiceConfig remote = SluiceConfig.load(Optional.empty(), Map.of(), parsed.subcommand().matchedOptionValue("--set", Map.of()));
        assertThat(remote.value(ConfigKeys.SOURCE_STREAM_NAME)).isEqualTo("sluice-dev-events");
        assertThat(remote.value(ConfigKeys.SOURCE_REGION)).isEqualTo("eu-west-1");
        assertThat(remote.value(ConfigKeys.SOURCE_ENDPOINT)).isEmpty();
        assertThat(remote.value(ConfigKeys.SPARK_MASTER)).isEmpty();
        assertThat(remote.value(ConfigKeys.LAKE_ROOT)).isEqualTo("s3a://sluice-dev-lake");
        assertThat(remote.value(ConfigKeys.CHECKPOINT_ROOT)).isEqualTo("s3a://sluice-dev-lake/checkpoints");
        assertThat(remote.value(ConfigKeys.METRICS_CLOUDWATCH_NAMESPACE)).as("the stack's per-environment namespace").isEqualTo("Sluice/dev");
        assertThat(remote.rawValue(ConfigKeys.SOURCE_CONNECTOR)).isEqualTo("aws-kinesis");

        // The same build again: nothing to upload, the same request.
        Result again = run(arguments);
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.out()).contains("the application jar is already at s3://" + ARTIFACTS_BUCKET + "/" + key);
        assertThat(startJobRuns).hasSize(2);
        assertThat(JSON.readTree(startJobRuns.get(1).body())).isEqualTo(JSON.readTree(startJobRuns.get(0).body()));
    }

    @Test
    void aDifferentJarUnderTheSameKeyIsNeverOverwritten()
            throws Exception
    {
        String key = "jars/sluice-spark-app-0.1.0-SNAPSHOT-emr-" + sha256(jar).substring(0, 16) + ".jar";
        byte[] other = "not this build".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        s3.putObject(request -> request.bucket(ARTIFACTS_BUCKET).key(key).metadata(Map.of("sha256", "0".repeat(64))),
                software.amazon.awssdk.core.sync.RequestBody.fromBytes(other));

        Result submitted = run(List.of("submit", "stream", "--stack-outputs", outputs.toString(), "--jar", jar.toString(),
                "-c", emrConf().toString()));

        assertThat(submitted.exitCode()).isEqualTo(1);
        assertThat(submitted.err()).contains("Cannot upload sluice-spark-app-0.1.0-SNAPSHOT-emr.jar to s3://%s/%s: a different jar is there (sha256 %s, this one %s); refusing to overwrite it"
                .formatted(ARTIFACTS_BUCKET, key, "0".repeat(64), sha256(jar)));
        assertThat(s3.getObjectAsBytes(request -> request.bucket(ARTIFACTS_BUCKET).key(key)).asByteArray()).isEqualTo(other);
        assertThat(startJobRuns).isEmpty();
    }

    @Test
    void dryRunPrintsTheEquivalentAwsCommands()
            throws Exception
    {
        Result result = run("submit", "backfill", "--stack-outputs", outputs.toString(), "--jar", jar.toString(), "--client-token", "t",
                "--dry-run", "--", "--from", "2026-06-01T00:00:00Z", "--to", "2026-06-02T00:00:00Z");
        assertThat(result.exitCode()).as(result.err()).isZero();
        JsonNode printed = JSON.readTree(result.out());
        assertThat(printed.get("mode").asText()).isEqualTo("BATCH");
        List<String> lines = result.err().lines().toList();
        assertThat(lines.get(0)).isEqualTo("sluice submit: dry run, nothing uploaded or started. The same with the AWS CLI:");
        assertThat(lines.get(1)).isEqualTo("  aws s3 cp " + jar + " " + printed.get("jobDriver").get("sparkSubmit").get("entryPoint").asText());
        String prefix = "  aws emr-serverless start-job-run --region eu-west-1 --cli-input-json '";
        assertThat(lines.get(2)).startsWith(prefix).endsWith("'");
        assertThat(JSON.readTree(lines.get(2).substring(prefix.length(), lines.get(2).length() - 1))).isEqualTo(printed);
        assertThat(startJobRuns).isEmpty();
    }

    @Test
    void aRejectedRequestExitsOneWithTheServiceMessage()
    {
        emrStatus = 400;
        emrResponse = "{\"message\":\"Application " + APPLICATION_ID + " is in STOPPING state\"}";
        Result result = run("submit", "maintain", "--stack-outputs", outputs.toString(), "--jar", jar.toString());
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("sluice submit: Application " + APPLICATION_ID + " is in STOPPING state");
        assertThat(startJobRuns).hasSize(1);
    }

    @Test
    void missingOrBadSettingsExitTwoWithOneLineAndStartNothing()
    {
        Result noApplication = run("submit", "stream", "--jar", jar.toString(), "--region", "eu-west-1",
                "--set", "lake.root=s3a://lake", "--set", "lake.checkpoint-root=s3a://lake/checkpoints");
        assertThat(noApplication.exitCode()).isEqualTo(2);
        assertThat(noApplication.err()).isEqualTo("sluice: Missing --application-id: pass it, or --stack-outputs with the file "
                + "cdk deploy --outputs-file wrote" + System.lineSeparator());

        Result localMaster = run("submit", "stream", "--stack-outputs", outputs.toString(), "--jar", jar.toString(), "--set", "spark.master=local[*]");
        assertThat(localMaster.exitCode()).isEqualTo(2);
        assertThat(localMaster.err()).isEqualTo("sluice: Invalid configuration value for 'spark.master': 'local[*]' (expected empty on EMR "
                + "Serverless, where spark-submit sets the master; remove the setting)" + System.lineSeparator());

        Result badJob = run("submit", "compact", "--stack-outputs", outputs.toString(), "--jar", jar.toString());
        assertThat(badJob.exitCode()).isEqualTo(2);
        assertThat(badJob.err()).isEqualTo("sluice: Invalid job: 'compact' (expected one of stream, backfill, replay, maintain)" + System.lineSeparator());

        Result badArtifacts = run("submit", "stream", "--stack-outputs", outputs.toString(), "--jar", jar.toString(), "--artifacts", "/tmp/artifacts");
        assertThat(badArtifacts.exitCode()).isEqualTo(2);
        assertThat(badArtifacts.err()).isEqualTo("sluice: Invalid --artifacts: '/tmp/artifacts' (expected s3://bucket or s3://bucket/prefix)"
                + System.lineSeparator());

        Result badExecutors = run("submit", "stream", "--stack-outputs", outputs.toString(), "--jar", jar.toString(), "--executors", "0");
        assertThat(badExecutors.exitCode()).isEqualTo(2);
        assertThat(badExecutors.err()).isEqualTo("sluice: Invalid --executors: '0' (expected 1 to 1000)" + System.lineSeparator());

        Result badApplication = run("submit", "stream", "--stack-outputs", outputs.toString(), "--jar", jar.toString(), "--application-id", "App-1");
        assertThat(badApplication.exitCode()).isEqualTo(2);
        assertThat(badApplication.err()).isEqualTo("sluice: Invalid --application-id: 'App-1' (expected an EMR Serverless application id such as 00fabcdef1234567)"
                + System.lineSeparator());

        assertThat(startJobRuns).isEmpty();
    }

    @Test
    void theMainClassIsTheOneTheParametersName()
    {
        assertThat(SparkSubmitParameters.MAIN_CLASS).isEqualTo(SluiceMain.class.getName());
    }

    private void startJobRun(HttpExchange exchange)
            throws IOException
    {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            startJobRuns.add(new Captured(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), Map.copyOf(exchange.getRequestHeaders()), body));
            byte[] response = emrResponse.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            if (emrStatus != 200) {
                exchange.getResponseHeaders().add("x-amzn-ErrorType", "ValidationException");
            }
            exchange.sendResponseHeaders(emrStatus, response.length);
            exchange.getResponseBody().write(response);
        }
    }

    private void setProperty(String name, String value)
    {
        savedProperties.putIfAbsent(name, System.getProperty(name));
        System.setProperty(name, value);
    }

    private static Path emrConf()
    {
        return Path.of(System.getProperty("sluice.home", "..")).resolve("conf/emr.conf");
    }

    private static String sha256(Path file)
            throws Exception
    {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    private static String[] concat(List<String> arguments, String... more)
    {
        return java.util.stream.Stream.concat(arguments.stream(), java.util.Arrays.stream(more)).toArray(String[]::new);
    }

    private static Result run(List<String> arguments)
    {
        return run(arguments.toArray(String[]::new));
    }

    private static Result run(String... arguments)
    {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = SluiceMain.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(arguments);
        return new Result(exitCode, out.toString(), err.toString());
    }
}
