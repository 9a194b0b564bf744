package io.sluice.testing;

import io.sluice.config.SluiceConfig;
import io.sluice.spark.SparkSessions;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The one local SparkSession of a test JVM: created on first use, stopped when the JUnit run ends.
 * Tests that need Spark call {@link #session(ExtensionContext)} from a {@code @BeforeAll} with an injected context,
 * or extend nothing and use {@link #session()} when they run inside JUnit's engine.
 */
public final class SharedSpark
        implements AutoCloseable
{
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedSpark.class);

    private final SparkSession spark;
    private final Path warehouse;

    private SharedSpark()
    {
        try {
            this.warehouse = Files.createTempDirectory("sluice-test-warehouse");
        }
        catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        // The production builder, so tests run with the settings the job depends on, plus small-machine sizes.
        SluiceConfig config = SluiceConfig.defaults().with(Map.of("spark.master", "local[2]", "spark.shuffle-partitions", "2"));
        this.spark = SparkSessions.builder(config, "sluice-tests")
                .config("spark.default.parallelism", "2")
                .config("spark.sql.warehouse.dir", warehouse.resolve("warehouse").toString())
                .getOrCreate();
    }

    /** The shared session, created in the root store of the JUnit run that {@code context} belongs to. */
    public static SparkSession session(ExtensionContext context)
    {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(SharedSpark.class, ignored -> new SharedSpark(), SharedSpark.class)
                .spark;
    }

    @Override
    public void close()
    {
        spark.stop();
    }
}
