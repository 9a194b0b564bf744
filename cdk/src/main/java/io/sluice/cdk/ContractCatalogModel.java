package io.sluice.cdk;




import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.contract.Contract;
import io.sluice.contract.ContractLoader;
import io.sluice.contract.ContractRegistry;
import io.sluice.marts.GoldMarts;
import io.sluice.table.AuditColumns;
import io.sluice.table.BronzeRecords;
import io.sluice.table.LakeLayout;
import io.sluice.table.QuarantineColumns;
import io.sluice.table.SilverColumns;
import io.sluice.table.SilverSchema;
import io.sluice.table.TableSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Builds the {@link CatalogModel} from the data contracts with the same code the jobs use: the silver
 * tables' Spark schemas come from {@link SilverSchema}, bronze's from {@link BronzeRecords#SCHEMA}, the
 * quarantine table's from {@link QuarantineColumns#SCHEMA}, the audit table's from {@link AuditColumns#SCHEMA}
 * and the gold marts' from {@link GoldMarts#tables}, each type written as Glue/Hive type syntax by
 * {@code DataType.catalogString()}. Because the silver columns are derived from the latest contract version
 * at synth, a new compatible contract version reaches the Glue tables on the next deploy, with no step of its own. The Schema Registry gets each dataset's latest JSON Schema, as written
 * in its contract file.
 */
public final class ContractCatalogModel
{

    /** The quarantine Delta table, at the root of the lake's quarantine/ prefix. */
    public static final String QUARANTINE_TABLE = "quarantine";
    /** The bronze Delta table (spark-app's default {@code tables.bronze}), below the lake's bronze/ prefix. */
    public static final String BRONZE_TABLE = "raw_events";
    /** The audit Delta table (spark-app's default {@code tables.audit}), below the lake's audit/ prefix. */
    public static final String AUDIT_TABLE = "ingest_audit";
    // Glue's limit on a column comment.
    private static final int MAX_COMMENT = 255;
    // A lake root to ask GoldMarts where it writes; only the part below it is used.
    private static final String MART_LAYOUT_ROOT = "s3://lake";

    private ContractCatalogModel() {}

    /** Contracts from {@code <root>/<dataset>/v<N>.json}, as in the repository. */
    public static CatalogModel fromDirectory(Path root)
    {
        requireNonNull(root, "root");
        ContractRegistry registry = new ContractLoader().loadDirectory(root);
        return build(registry, origin -> readFile(root.resolve(origin)));
    }

    /** Contracts packaged in the spark-app jar ({@code contracts/index.txt}). */
    public static CatalogModel fromClasspath(ClassLoader classLoader)
    {
        requireNonNull(classLoader, "classLoader");
        ContractRegistry registry = new ContractLoader().loadClasspath(classLoader);
        return build(registry, origin -> readResource(classLoader, ContractLoader.CLASSPATH_ROOT + "/" + origin));
    }

    /** Reads a contract file's bytes by its origin (path relative to the contracts root). */
    @FunctionalInterface
    interface ContractSource
    {
        byte[] read(String origin);
    }

    static CatalogModel build(ContractRegistry registry, ContractSource source)
    {
        List<CatalogModel.Table> tables = new ArrayList<>();
        for (Map.Entry<String, List<Contract>> entry : registry.contractsByTable().entrySet()) {
            String table = entry.getKey();
            Contract latest = entry.getValue().get(entry.getValue().size() - 1);
            tables.add(table(table, StorageConstruct.SILVER_PREFIX + table + "/",
                    latest.description() + " (dataset " + latest.dataset() + ", contract v" + latest.version() + ")",
                    SilverSchema.of(latest), SilverColumns.PARTITION_COLUMNS));
        }
        // The job writes the quarantine table under its name, like every table: <lake>/quarantine/<table>/ (io.sluice.table.LakeLayout).
        tables.add(table(QUARANTINE_TABLE, StorageConstruct.QUARANTINE_PREFIX + QUARANTINE_TABLE + "/",
                "Records that failed the envelope or their contract, with the reasons, raw payload and ingest position",
                QuarantineColumns.SCHEMA, QuarantineColumns.PARTITION_COLUMNS));

        // Bronze, like quarantine, at <lake>/bronze/<table>/; the audit table at <lake>/audit/<table>/ (LakeLayout).
        tables.add(table(BRONZE_TABLE, StorageConstruct.BRONZE_PREFIX + BRONZE_TABLE + "/",
                "Every record as received from the stream, with its shard, sequence number and arrival time",
                BronzeRecords.SCHEMA, BronzeRecords.PARTITION_COLUMNS));
        tables.add(table(AUDIT_TABLE, StorageConstruct.AUDIT_PREFIX + AUDIT_TABLE + "/",
                "One row per micro-batch or backfill slice: offsets read per shard and where every record went",
                AuditColumns.SCHEMA, AuditColumns.PARTITION_COLUMNS));
        // The marts, as `sluice marts` (and the Glue job `marts`) writes them: <lake>/gold/<name>/, unpartitioned.
        for (TableSpec mart : GoldMarts.tables(new LakeLayout(MART_LAYOUT_ROOT, MART_LAYOUT_ROOT + "/checkpoints"))) {
            String relative = mart.location().substring(MART_LAYOUT_ROOT.length() + 1) + "/";
            if (!relative.equals(StorageConstruct.GOLD_PREFIX + mart.name() + "/")) {
                throw new IllegalStateException("mart " + mart.name() + " is written to " + relative
                        + ", not below " + StorageConstruct.GOLD_PREFIX);
            }
            tables.add(table(mart.name(), relative, "Gold mart built from silver by the marts job",
                    mart.schema(), mart.partitionColumns()));
        }

        List<CatalogModel.DatasetSchema> schemas = new ArrayList<>();
        for (String dataset : registry.datasets()) {
            Contract latest = registry.latest(dataset).orElseThrow();
            schemas.add(new CatalogModel.DatasetSchema(dataset, latest.version(), latest.description(),
                    schemaJson(latest.origin(), source.read(latest.origin()))));
        }
        return new CatalogModel(tables, schemas);
    }

    /**
     * A Glue table from a Spark schema: the partition columns (in partitioning order) become partition keys,
     * every other field a column, in schema order.
     */
    static CatalogModel.Table table(String name, String location, String description, StructType schema,
                                    List<String> partitionColumns)
                                    {
        List<String> names = List.of(schema.fieldNames());
        for (String partition : partitionColumns) {
            if (!names.contains(partition)) {
                throw new IllegalArgumentException("table " + name + " has no partition column " + partition);
            }
        }
        List<CatalogModel.Column> columns = new ArrayList<>();
        for (StructField field : schema.fields()) {
            if (!partitionColumns.contains(field.name())) {
                columns.add(column(field));
            }
        }
        List<CatalogModel.Column> partitionKeys = partitionColumns.stream()
                .map(partition -> column(schema.apply(partition)))
                .toList();
        return new CatalogModel.Table(name, location, description, columns, partitionKeys);
    }

    static CatalogModel.Column column(StructField field)
    {
        String comment = field.getComment().isDefined() ? field.getComment().get() : null;
        if (comment != null && comment.length() > MAX_COMMENT) {
            comment = comment.substring(0, MAX_COMMENT - 1) + "…";
        }
        return new CatalogModel.Column(field.name(), field.dataType().catalogString(), comment);
    }

    /** The contract's {@code schema} object as compact JSON: what the Schema Registry stores. */
    private static String schemaJson(String origin, byte[] contractFile)
    {
        try {
            JsonNode schema = new ObjectMapper().readTree(contractFile).get("schema");
            if (schema == null || !schema.isObject()) {
                throw new IllegalArgumentException(origin + " has no schema object");
            }
            return schema.toString();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + origin, e);
        }
    }

    private static byte[] readFile(Path file)
    {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static byte[] readResource(ClassLoader classLoader, String name)
    {
        try (InputStream in = classLoader.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalArgumentException("no resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name, e);
        }
    }
}
