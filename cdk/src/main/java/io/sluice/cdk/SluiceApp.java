package io.sluice.cdk;


import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.NagPackProps;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.StackProps;

/**
 * Entry point run by {@code cdk synth|deploy} (see cdk/cdk.json). Offline by design: no lookups, and the
 * stack is environment-agnostic unless {@code -c account=... -c region=...} pin it.
 */
public final class SluiceApp
{

    /**
     * CDK feature flags this app relies on, set in code rather than only in cdk.json so the tests synthesize
     * exactly what {@code cdk synth} does. Without the first, server access logging falls back to a
     * LogDeliveryWrite ACL, which bucket-owner-enforced buckets reject.
     */
    static final Map<String, Object> FEATURE_FLAGS = Map.of(
            "@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy", true,
            "@aws-cdk/aws-s3:createDefaultLoggingPolicy", true,
            "@aws-cdk/aws-kms:reduceCrossAccountRegionPolicyScope", true);

    /** Context key naming the contracts directory (default: the checkout's contracts/). */
    public static final String CONTRACTS_DIR = "contractsDir";

    private SluiceApp() {}

    public static void main(String[] args)
    {
        App app = newApp(Map.of());
        SluiceSettings settings = settings(app);
        new SluiceStack(app, stackName(settings), stackProps(app, settings), settings, catalogModel(app));
        // The same checks the tests run: a synth with an unsuppressed AwsSolutions error fails.
        Aspects.of(app).add(new AwsSolutionsChecks(NagPackProps.builder().verbose(true).build()));
        app.synth();
    }

    /** The CLI passes -c values through the environment; {@code context} adds to them (tests use it). */
    static App newApp(Map<String, Object> context)
    {
        Map<String, Object> all = new HashMap<>(FEATURE_FLAGS);
        all.putAll(context);
        return new App(AppProps.builder().context(all).build());
    }

    /**
     * Settings from context. {@code cdk synth} runs from {@code cdk/} but the notebooks live at the
     * repository root, so unless context names a directory, walk up to the checkout (the directory holding
     * cdk/ and pom.xml) and use its notebooks/.
     */
    static SluiceSettings settings(App app)
    {
        ContextSettings context = new ContextSettings(app.getNode());
        SluiceSettings.Builder builder = context.builder();
        if (!context.has(ContextSettings.NOTEBOOKS_DIR)) {
            repositoryRoot().ifPresent(root -> builder.notebooksDir(root.resolve("notebooks")));
        }
        builder.glueJarName(glueJarName(System.getProperty(VERSION_PROPERTY), repositoryRoot()));
        return builder.build();
    }

    /** Set by the cdk-synth profile and the tests to the Maven project version. */
    static final String VERSION_PROPERTY = "sluice.version";

    /**
     * {@code sluice-glue-jobs-<version>-glue-<16 hex of SHA-256>.jar} when the build left the jar in glue-jobs/target
     * (the same naming as sluice submit's uploads), else {@code sluice-glue-jobs-<version>-glue.jar}: a key names
     * the content or, before a build, at least the version.
     */
    static String glueJarName(String version, Optional<Path> root)
    {
        String stem = "sluice-glue-jobs-" + (version == null || version.isBlank() ? "unknown" : version) + "-glue";
        Optional<Path> built = root.map(r -> r.resolve("glue-jobs/target/" + stem + ".jar")).filter(Files::isRegularFile);
        return built.map(jar -> io.sluice.submit.ApplicationJar.of(jar).objectName()).orElse(stem + ".jar");
    }

    /**
     * The Glue tables and registry schemas, from the contracts: {@code -c contractsDir=...}, else the
     * checkout's contracts/, else the copy packaged in the spark-app jar on the classpath.
     */
    static CatalogModel catalogModel(App app)
    {
        Optional<Path> dir = context(app, CONTRACTS_DIR).map(Path::of)
                .or(() -> repositoryRoot().map(root -> root.resolve("contracts")).filter(Files::isDirectory));
        return dir.map(ContractCatalogModel::fromDirectory)
                .orElseGet(() -> ContractCatalogModel.fromClasspath(SluiceApp.class.getClassLoader()));
    }

    static Optional<Path> repositoryRoot()
    {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("cdk")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return Optional.of(dir);
            }
        }
        return Optional.empty();
    }

    public static String stackName(SluiceSettings settings)
    {
        return "Sluice-" + settings.envName();
    }

    static StackProps stackProps(App app, SluiceSettings settings)
    {
        StackProps.Builder props = StackProps.builder()
                .description("Sluice " + settings.envName() + ": Kinesis to Delta Lake on EMR Serverless, Glue, Athena")
                .terminationProtection(settings.retainData());
        Optional<String> account = context(app, "account");
        Optional<String> region = context(app, "region");
        if (account.isPresent() || region.isPresent()) {
            props.env(Environment.builder().account(account.orElse(null)).region(region.orElse(null)).build());
        }
        return props.build();
    }

    private static Optional<String> context(App app, String key)
    {
        return Optional.ofNullable(app.getNode().tryGetContext(key)).map(String::valueOf).filter(s -> !s.isBlank());
    }
}
