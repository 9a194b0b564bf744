package io.sluice.cdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Glue tables and registry schemas in the synthesized template are the contracts' own: columns equal
 * the StructType the pipeline writes, field for field, and each registry schema is the latest contract's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ContractCatalogModelTest
{

    private Path contractsDir;
    private ContractRegistry registry;
    private Synth dev;

    @BeforeAll
    void load()
    {
        contractsDir = SluiceApp.repositoryRoot().orElseThrow().resolve("contracts");
        registry = new ContractLoader().loadDirectory(contractsDir);
        dev = Synth.dev();
    }

    @Test
    void oneGlueTablePerSilverTablePlusQuarantineBronzeAuditAndMarts()
    {
        assertThat(registry.contractsByTable()).isNotEmpty();
        List<String> expected = new ArrayList<>(registry.contractsByTable().keySet());
        expected.addAll(List.of(ContractCatalogModel.QUARANTINE_TABLE, "raw_events", "ingest_audit",
                "player_daily_serves", "match_summary"));
        assertThat(dev.resources("AWS::Glue::Table").values())
                .extracting(r -> String.valueOf(tableInput(r).get("Name")))
                .containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void glueColumnsEqualTheSilverStructType()
    {
        Map<String, StructType> silverSchemas = SilverSchema.all(registry);
        for (String table : registry.contractsByTable().keySet()) {
            StructType schema = silverSchemas.get(table);
            Map<String, Object> input = tableInput(glueTable(table));
            assertThat(columns(input)).as(table).isEqualTo(expectedColumns(schema, SilverColumns.PARTITION_COLUMNS));
            assertThat(partitionKeys(input)).as(table).containsExactly(
                    List.of("event_date", "date"), List.of("event_type", "string"));
            assertThat(location(input)).as(table).endsWith("/silver/" + table + "/");
            assertThat(Policies.map(input.get("Parameters"))).containsEntry("table_type", "DELTA");
            assertThat(input).containsEntry("TableType", "EXTERNAL_TABLE");
        }
    }

    @Test
    void quarantineColumnsEqualItsStructType()
    {
        Map<String, Object> input = tableInput(glueTable(ContractCatalogModel.QUARANTINE_TABLE));
        assertThat(columns(input)).isEqualTo(expectedColumns(QuarantineColumns.SCHEMA, QuarantineColumns.PARTITION_COLUMNS));
        assertThat(partitionKeys(input)).containsExactly(List.of("ingest_date", "date"));
        assertThat(location(input)).endsWith("/quarantine/quarantine/");
    }

    @Test
    void bronzeIsRawEventsInTheRestrictedDatabaseWithItsStructType()
    {
        Map<String, Object> table = glueTable("raw_events");
        Map<String, Object> input = tableInput(table);
        assertThat(Policies.props(table)).containsEntry("DatabaseName", "sluice_dev_raw");
        assertThat(columns(input)).isEqualTo(expectedColumns(BronzeRecords.SCHEMA, BronzeRecords.PARTITION_COLUMNS));
        assertThat(partitionKeys(input)).containsExactly(List.of("ingest_date", "date"));
        assertThat(location(input)).endsWith("/bronze/raw_events/");
        assertThat(Policies.map(input.get("Parameters"))).containsEntry("table_type", "DELTA");
        assertThat(input).containsEntry("TableType", "EXTERNAL_TABLE");
    }

    @Test
    void auditIsIngestAuditInTheAnalystsDatabaseWithItsStructType()
    {
        Map<String, Object> table = glueTable("ingest_audit");
        Map<String, Object> input = tableInput(table);
        assertThat(Policies.props(table)).containsEntry("DatabaseName", "sluice_dev");
        assertThat(columns(input)).isEqualTo(expectedColumns(AuditColumns.SCHEMA, AuditColumns.PARTITION_COLUMNS));
        assertThat(columns(input)).contains(List.of("silver_rows_by_table", "map<string,bigint>"));
        assertThat(partitionKeys(input)).containsExactly(List.of("audit_date", "date"));
        assertThat(location(input)).endsWith("/audit/ingest_audit/");
        assertThat(Policies.map(input.get("Parameters"))).containsEntry("table_type", "DELTA");
        assertThat(input).containsEntry("TableType", "EXTERNAL_TABLE");
    }

    @Test
    void martsAreGoldTablesInTheAnalystsDatabaseWithTheirStructTypes()
    {
        List<TableSpec> marts = GoldMarts.tables(new LakeLayout("s3://lake", "s3://lake/checkpoints"));
        assertThat(marts).extracting(TableSpec::name).containsExactly("player_daily_serves", "match_summary");
        for (TableSpec mart : marts) {
            Map<String, Object> table = glueTable(mart.name());
            Map<String, Object> input = tableInput(table);
            assertThat(Policies.props(table)).as(mart.name()).containsEntry("DatabaseName", "sluice_dev");
            assertThat(columns(input)).as(mart.name()).isEqualTo(expectedColumns(mart.schema(), List.of()));
            assertThat(partitionKeys(input)).as(mart.name()).isEmpty();
            assertThat(mart.location()).isEqualTo("s3://lake/gold/" + mart.name());
            assertThat(location(input)).as(mart.name()).endsWith("/gold/" + mart.name() + "/");
            assertThat(Policies.map(input.get("Parameters"))).containsEntry("table_type", "DELTA");
            assertThat(input).containsEntry("TableType", "EXTERNAL_TABLE");
        }
    }

    @Test
    void columnsAndPartitionKeysTogetherAreTheWholeSchemaOnce()
    {
        Map<String, StructType> silverSchemas = SilverSchema.all(registry);
        for (String table : registry.contractsByTable().keySet()) {
            Map<String, Object> input = tableInput(glueTable(table));
            List<List<String>> all = new ArrayList<>(columns(input));
            all.addAll(partitionKeys(input));
            assertThat(all).as(table).containsExactlyInAnyOrderElementsOf(
                    expectedColumns(silverSchemas.get(table), List.of()));
        }
    }

    @Test
    void registryHoldsTheLatestSchemaOfEveryDataset() throws Exception
    {
        ObjectMapper json = new ObjectMapper();
        assertThat(dev.resources("AWS::Glue::Schema")).hasSameSizeAs(registry.datasets());
        for (String dataset : registry.datasets()) {
            Contract latest = registry.latest(dataset).orElseThrow();
            Map<String, Object> schema = dev.resources("AWS::Glue::Schema").values().stream()
                    .map(Policies::props)
                    .filter(p -> dataset.equals(p.get("Name")))
                    .findFirst().orElseThrow();
            assertThat(schema).containsEntry("DataFormat", "JSON").containsEntry("Compatibility", "BACKWARD");
            assertThat(json.readTree(String.valueOf(schema.get("SchemaDefinition"))))
                    .isEqualTo(json.readTree(Files.readAllBytes(contractsDir.resolve(latest.origin()))).get("schema"));
        }
        assertThat(registry.versions("tennis.serve")).hasSizeGreaterThan(1);
    }

    /**
     * How a new compatible contract version reaches Glue: no step of its own. The stack derives the columns from
     * the newest version of each contract at synth, so the deploy that ships the contract file updates the table.
     */
    @Test
    void aNewContractVersionReachesTheGlueColumnsAtTheNextSynth(@TempDir Path copy) throws Exception
    {
        ObjectMapper json = new ObjectMapper();
        for (String file : ContractLoader.listDirectory(contractsDir)) {
            Files.createDirectories(copy.resolve(file).getParent());
            Files.copy(contractsDir.resolve(file), copy.resolve(file));
        }
        Contract latest = registry.latest("tennis.serve").orElseThrow();
        ObjectNode next = (ObjectNode) json.readTree(Files.readAllBytes(contractsDir.resolve(latest.origin())));
        int version = latest.version() + 1;
        next.put("version", version);
        ((ObjectNode) next.get("schema").get("properties")).putObject("ball_brand")
                .put("type", "string").put("description", "Optional: the ball in play.");
        Path file = copy.resolve("tennis.serve/v" + version + ".json");
        Files.write(file, json.writerWithDefaultPrettyPrinter().writeValueAsBytes(next));

        Synth withNewVersion = Synth.of(Map.of("env", "dev", SluiceApp.CONTRACTS_DIR, copy.toString()));
        Map<String, Object> before = tableInput(glueTable("tennis_serves"));
        Map<String, Object> after = tableInput(withNewVersion.resources("AWS::Glue::Table").values().stream()
                .filter(r -> "tennis_serves".equals(tableInput(r).get("Name")))
                .findFirst().orElseThrow());
        assertThat(String.valueOf(before.get("StorageDescriptor"))).doesNotContain("ball_brand");
        assertThat(String.valueOf(after.get("StorageDescriptor"))).contains("ball_brand");
        assertThat(columns(after)).isEqualTo(expectedColumns(
                SilverSchema.all(new ContractLoader().loadDirectory(copy)).get("tennis_serves"),
                SilverColumns.PARTITION_COLUMNS));
        assertThat(String.valueOf(after.get("Description"))).endsWith("contract v" + version + ")");
        assertThat(withNewVersion.resources("AWS::Glue::Schema").values().stream().map(Policies::props)
                .filter(p -> "tennis.serve".equals(p.get("Name")))
                .map(p -> String.valueOf(p.get("SchemaDefinition"))))
                .singleElement().asString().contains("ball_brand");
    }

    @Test
    void classpathCopyGivesTheSameModel()
    {
        assertThat(ContractCatalogModel.fromClasspath(getClass().getClassLoader()))
                .isEqualTo(ContractCatalogModel.fromDirectory(contractsDir));
    }

    private static List<List<String>> expectedColumns(StructType schema, List<String> partitions)
    {
        List<List<String>> out = new ArrayList<>();
        for (StructField field : schema.fields()) {
            if (!partitions.contains(field.name())) {
                out.add(List.of(field.name(), field.dataType().catalogString()));
            }
        }
        return out;
    }

    private Map<String, Object> glueTable(String name)
    {
        return dev.resources("AWS::Glue::Table").values().stream()
                .filter(r -> name.equals(tableInput(r).get("Name")))
                .findFirst().orElseThrow(() -> new AssertionError("no Glue table " + name));
    }

    private static Map<String, Object> tableInput(Map<String, Object> resource)
    {
        return Policies.map(Policies.props(resource).get("TableInput"));
    }

    private static List<List<String>> columns(Map<String, Object> input)
    {
        return nameAndType(Policies.map(input.get("StorageDescriptor")).get("Columns"));
    }

    private static List<List<String>> partitionKeys(Map<String, Object> input)
    {
        return nameAndType(input.get("PartitionKeys"));
    }

    private static String location(Map<String, Object> input)
    {
        return Policies.render(Policies.map(input.get("StorageDescriptor")).get("Location"));
    }

    private static List<List<String>> nameAndType(Object columns)
    {
        return Policies.list(columns).stream()
                .map(Policies::map)
                .map(c -> List.of(String.valueOf(c.get("Name")), String.valueOf(c.get("Type"))))
                .toList();
    }
}
