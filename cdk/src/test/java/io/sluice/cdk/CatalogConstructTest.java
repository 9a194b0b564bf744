package io.sluice.cdk;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awscdk.assertions.Match;

/** The construct, on a hand-written model; ContractCatalogModelTest covers the model built from the contracts. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CatalogConstructTest
{

    private static final CatalogModel MODEL = new CatalogModel(
            List.of(new CatalogModel.Table("tennis_serves", "silver/tennis_serves/", "Serves",
                    List.of(new CatalogModel.Column("id", "string", "CloudEvents id"),
                            new CatalogModel.Column("data", "struct<speed_kmh:double,player:string>", null)),
                    List.of(new CatalogModel.Column("event_date", "date", null),
                            new CatalogModel.Column("event_type", "string", null)))),
            List.of(new CatalogModel.DatasetSchema("tennis.serve", 2, "Serves", "{\"type\":\"object\"}")));

    private Synth dev;

    @BeforeAll
    void synth()
    {
        dev = Synth.of(Map.of("env", "dev"), MODEL);
    }

    @Test
    void databaseNamedForTheEnvironment()
    {
        dev.template().hasResourceProperties("AWS::Glue::Database", Map.of(
                "CatalogId", Map.of("Ref", "AWS::AccountId"),
                "DatabaseInput", Match.objectLike(Map.of("Name", "sluice_dev"))));
    }

    @Test
    void deltaTableWithLocationColumnsAndPartitions()
    {
        Map<String, Object> location = Map.of("Fn::Join", List.of("", List.of("s3://",
                Map.of("Ref", lakeBucketId()), "/silver/tennis_serves/")));
        dev.template().hasResourceProperties("AWS::Glue::Table", Map.of(
                "CatalogId", Map.of("Ref", "AWS::AccountId"),
                "DatabaseName", "sluice_dev",
                "TableInput", Map.of(
                        "Name", "tennis_serves",
                        "Description", "Serves",
                        "TableType", "EXTERNAL_TABLE",
                        "Parameters", Map.of("table_type", "DELTA", "spark.sql.sources.provider", "delta",
                                "EXTERNAL", "TRUE"),
                        "StorageDescriptor", Map.of(
                                "Location", location,
                                "Columns", List.of(
                                        Map.of("Name", "id", "Type", "string", "Comment", "CloudEvents id"),
                                        Map.of("Name", "data", "Type", "struct<speed_kmh:double,player:string>")),
                                "SerdeInfo", Map.of("Parameters", Map.of("path", location))),
                        "PartitionKeys", List.of(
                                Map.of("Name", "event_date", "Type", "date"),
                                Map.of("Name", "event_type", "Type", "string")))));
    }

    @Test
    void schemaRegistryHoldsOneBackwardCompatibleJsonSchemaPerDataset()
    {
        dev.template().hasResourceProperties("AWS::Glue::Registry", Match.objectLike(Map.of("Name", "sluice-dev")));
        dev.template().hasResourceProperties("AWS::Glue::Schema", Map.of(
                "Name", "tennis.serve",
                "Registry", Map.of("Arn", Map.of("Fn::GetAtt", List.of(registryId(), "Arn"))),
                "DataFormat", "JSON",
                "Compatibility", "BACKWARD",
                "Description", "Serves (contract v2)",
                "SchemaDefinition", "{\"type\":\"object\"}"));
    }

    @Test
    void emptyModelStillGivesDatabasesAndRegistry()
    {
        Synth empty = Synth.of(Map.of("env", "dev"), CatalogModel.empty());
        // The analysts' database and the restricted one for raw payloads.
        empty.template().resourceCountIs("AWS::Glue::Database", 2);
        empty.template().resourceCountIs("AWS::Glue::Registry", 1);
        empty.template().resourceCountIs("AWS::Glue::Table", 0);
    }

    @Test
    void modelRejectsWhatGlueWouldReject()
    {
        assertThatThrownBy(() -> new CatalogModel.Column("Event-Date", "date", null)).hasMessageContaining("lower-case");
        assertThatThrownBy(() -> new CatalogModel.Table("t", "silver", "", List.of(), List.of()))
                .hasMessageContaining("'/'");
        assertThatThrownBy(() -> new CatalogModel.DatasetSchema("tennis serve", 1, "", "{}"))
                .hasMessageContaining("registry name");
        CatalogModel.Column id = new CatalogModel.Column("id", "string", null);
        assertThatThrownBy(() -> new CatalogModel.Table("t", "silver/t/", "", List.of(id), List.of(id)))
                .hasMessageContaining("duplicate");
    }

    private String lakeBucketId()
    {
        return dev.resources("AWS::S3::Bucket").keySet().stream().filter(id -> id.startsWith("StorageLake"))
                .findFirst().orElseThrow();
    }

    private String registryId()
    {
        return dev.resources("AWS::Glue::Registry").keySet().iterator().next();
    }
}
