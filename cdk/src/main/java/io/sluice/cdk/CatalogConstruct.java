package io.sluice.cdk;


import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.glue.CfnDatabase;
import software.amazon.awscdk.services.glue.CfnRegistry;
import software.amazon.awscdk.services.glue.CfnSchema;
import software.amazon.awscdk.services.glue.CfnTable;
import software.constructs.Construct;

/**
 * The Glue Data Catalog database with one Delta table per contract table, and a Glue Schema Registry
 * with one JSON schema per dataset (BACKWARD compatible, so a new contract version may only add optional
 * fields or drop fields, which is what consumers of older events can still read).
 *
 * <p>Athena engine v3 reads a Delta table's schema and partitions from its transaction log; it needs only
 * the location and {@code table_type=DELTA}. The columns are written too, from the same Spark schema the
 * writer uses, because Lake Formation, views and tools that read the Glue schema need them to match.
 */
public final class CatalogConstruct extends Construct
{

    private final String databaseName;
    private final String rawDatabaseName;
    private final CfnDatabase database;
    private final CfnDatabase rawDatabase;
    private final CfnRegistry registry;
    private final Map<String, CfnTable> tables = new LinkedHashMap<>();
    private final Map<String, CfnSchema> schemas = new LinkedHashMap<>();
    private final Set<String> rawTableNames = new TreeSet<>();

    public CatalogConstruct(Construct scope, String id, SluiceSettings settings, StorageConstruct storage,
                            CatalogModel model)
                            {
        super(scope, id);
        requireNonNull(settings, "settings");
        requireNonNull(storage, "storage");
        requireNonNull(model, "model");
        String account = Stack.of(this).getAccount();
        this.databaseName = settings.databaseName();
        this.rawDatabaseName = settings.rawDatabaseName();

        this.database = CfnDatabase.Builder.create(this, "Database")
                .catalogId(account)
                .databaseInput(CfnDatabase.DatabaseInputProperty.builder()
                        .name(databaseName)
                        .description("Sluice " + settings.envName() + ": silver Delta tables built from the data contracts")
                        .locationUri(storage.lakeUri(""))
                        .build())
                .build();
        // Bronze and quarantine keep every payload as received, which may be personal data: a database of their
        // own, which the job roles use and the analysts' policy (AccessConstruct) does not name.
        this.rawDatabase = CfnDatabase.Builder.create(this, "RawDatabase")
                .catalogId(account)
                .databaseInput(CfnDatabase.DatabaseInputProperty.builder()
                        .name(rawDatabaseName)
                        .description("Sluice " + settings.envName() + ": bronze and quarantine, payloads as received "
                                + "(may hold personal data); restricted to the job roles")
                        .locationUri(storage.lakeUri(""))
                        .build())
                .build();

        for (CatalogModel.Table table : model.tables()) {
            String location = storage.lakeUri(table.location());
            boolean raw = isRaw(table.location());
            CfnTable cfnTable = CfnTable.Builder.create(this, "Table-" + table.name())
                    .catalogId(account)
                    .databaseName(raw ? rawDatabaseName : databaseName)
                    .tableInput(CfnTable.TableInputProperty.builder()
                            .name(table.name())
                            .description(table.description())
                            .tableType("EXTERNAL_TABLE")
                            .parameters(new TreeMap<>(Map.of(
                                    // Athena's native Delta reader keys on this.
                                    "table_type", "DELTA",
                                    // Spark with the Glue catalog resolves the table through DeltaCatalog.
                                    "spark.sql.sources.provider", "delta",
                                    "EXTERNAL", "TRUE")))
                            .storageDescriptor(CfnTable.StorageDescriptorProperty.builder()
                                    .location(location)
                                    .columns(columns(table.columns()))
                                    // Spark data source tables find their files through the 'path' option.
                                    .serdeInfo(CfnTable.SerdeInfoProperty.builder()
                                            .parameters(Map.of("path", location))
                                            .build())
                                    .build())
                            .partitionKeys(columns(table.partitionKeys()))
                            .build())
                    .build();
            cfnTable.addResourceDependency(raw ? rawDatabase : database);
            tables.put(table.name(), cfnTable);
            if (raw) {
                rawTableNames.add(table.name());
            }
        }

        this.registry = CfnRegistry.Builder.create(this, "Registry")
                .name(settings.prefix())
                .description("Sluice " + settings.envName() + ": JSON Schemas of the event data, one per dataset")
                .build();
        for (CatalogModel.DatasetSchema schema : model.schemas()) {
            CfnSchema cfnSchema = CfnSchema.Builder.create(this, "Schema-" + schema.dataset())
                    .name(schema.dataset())
                    .registry(CfnSchema.RegistryProperty.builder().arn(registry.getAttrArn()).build())
                    .dataFormat("JSON")
                    .compatibility("BACKWARD")
                    .description(schema.description() + " (contract v" + schema.version() + ")")
                    .schemaDefinition(schema.jsonSchema())
                    .build();
            schemas.put(schema.dataset(), cfnSchema);
        }
    }

    /** Whether a table at this lake prefix holds raw payloads (bronze, quarantine) and so belongs in the raw database. */
    static boolean isRaw(String location)
    {
        return location.startsWith(StorageConstruct.BRONZE_PREFIX) || location.startsWith(StorageConstruct.QUARANTINE_PREFIX);
    }

    private static List<CfnTable.ColumnProperty> columns(List<CatalogModel.Column> columns)
    {
        return columns.stream()
                .map(c -> {
                    CfnTable.ColumnProperty.Builder b = CfnTable.ColumnProperty.builder().name(c.name()).type(c.type());
                    if (c.comment() != null && !c.comment().isBlank()) {
                        b.comment(c.comment());
                    }
                    return b.build();
                })
                .toList();
    }

    public String databaseName()
    {
        return databaseName;
    }

    public CfnDatabase database()
    {
        return database;
    }

    public String rawDatabaseName()
    {
        return rawDatabaseName;
    }

    public CfnDatabase rawDatabase()
    {
        return rawDatabase;
    }

    /** The tables placed in the restricted raw database (bronze, quarantine). */
    public Set<String> rawTableNames()
    {
        return Set.copyOf(rawTableNames);
    }

    public CfnRegistry registry()
    {
        return registry;
    }

    public Map<String, CfnTable> tables()
    {
        return Map.copyOf(tables);
    }

    public Map<String, CfnSchema> schemas()
    {
        return Map.copyOf(schemas);
    }

    /** {@code arn:...:glue:region:account:catalog}: every Glue catalog call is authorized against it too. */
    public String catalogArn()
    {
        return glueArn("catalog", null);
    }

    public String databaseArn()
    {
        return glueArn("database", databaseName);
    }

    /** All tables of this database (tables are created by this stack and by schema evolution). */
    public String tablesArn()
    {
        return glueArn("table", databaseName + "/*");
    }

    public String rawDatabaseArn()
    {
        return glueArn("database", rawDatabaseName);
    }

    public String rawTablesArn()
    {
        return glueArn("table", rawDatabaseName + "/*");
    }

    /** Spark's Hive client looks up the 'default' database on start-up, whatever database the job uses. */
    public String defaultDatabaseArn()
    {
        return glueArn("database", "default");
    }

    public String registryArn()
    {
        return registry.getAttrArn();
    }

    /** Schemas of this registry: {@code schema/<registry>/*}. */
    public String schemasArn()
    {
        return glueArn("schema", registry.getName() + "/*");
    }

    private String glueArn(String resource, String resourceName)
    {
        ArnComponents.Builder arn = ArnComponents.builder().service("glue").resource(resource)
                .arnFormat(ArnFormat.SLASH_RESOURCE_NAME);
        if (resourceName == null) {
            arn.arnFormat(ArnFormat.NO_RESOURCE_NAME);
        } else {
            arn.resourceName(resourceName);
        }
        return Stack.of(this).formatArn(arn.build());
    }
}
