package io.sluice.testing;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one local SparkSession of a test JVM: created on first use, stopped when the JUnit run ends.
 * Tests that need Spark call {@link #session(ExtensionContext)} from a {@code @BeforeAll} with an injected context,
 * or extend nothing and use {@link #session()} when they run inside JUnit's engine.
 */
public final class SharedSpark
        implements ExtensionContext.Store.CloseableResource
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
        this.spark = SparkSession.builder()
                .master("local[2]")
                .appName("sluice-tests")
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.default.parallelism", "2")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.session.timeZone", "UTC")
                .config("spark.sql.warehouse.dir", warehouse.resolve("warehouse").toString())
                .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
                .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
                .config("spark.databricks.delta.snapshotPartitions", "2")
                .config("spark.sql.streaming.stateStore.providerClass",
                        "org.apache.spark.sql.execution.streaming.state.RocksDBStateStoreProvider")
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
