package io.sluice.contract;

import io.sluice.pipeline.ContractEnforcer;
import io.sluice.pipeline.EnforcedBatch;
import io.sluice.table.QuarantineColumns;
import io.sluice.table.RawRecordColumns;
import io.sluice.table.SilverColumns;
import io.sluice.testing.ExtensionContextResolver;
import io.sluice.testing.SharedSpark;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(ExtensionContextResolver.class)
class ContractCatalogTest
{
    private static SparkSession spark;

    @BeforeAll
    static void setUp(ExtensionContext context)
    {
        spark = SharedSpark.session(context);
    }

    @Test
    void checkedInCatalogIsUpToDate()
            throws IOException
    {
        Path catalog = Path.of(System.getProperty("sluice.home", "..")).resolve(ContractCatalogWriter.DEFAULT_OUTPUT);
        String rendered = new ContractCatalogWriter().render(Contracts.registry());

        assertThat(Files.readString(catalog, StandardCharsets.UTF_8))
                .as("docs/contracts-catalog.md is stale: run `sluice contracts docs`")
                .isEqualTo(rendered);
        assertThat(rendered)
                .contains("## tennis.serve v2")
                .contains("| `match_id` | string | string | yes | matches `^M[0-9]{4}$` |")
                .contains("| `score.server` | string | string | yes | one of `0`, `15`, `30`, `40`, `AD` |")
                .contains("- `data.court_side` OPTIONAL_FIELD_ADDED: new optional field of type string");
    }

    @Test
    void everyExampleValidatesAgainstItsOwnContract()
    {
        ContractRegistry registry = Contracts.registry();
        List<Row> rows = new ArrayList<>();
        List<String> expectedTables = new ArrayList<>();
        for (Contract contract : registry.contracts()) {
            assertThat(contract.examples()).as("examples of " + contract.origin()).isNotEmpty();
            for (String example : contract.examples()) {
                rows.add(RowFactory.create(example.getBytes(StandardCharsets.UTF_8), "examples", contract.origin(), Integer.toString(rows.size()),
                        Timestamp.from(Instant.EPOCH), null));
                expectedTables.add(contract.table());
            }
        }
        Dataset<Row> raw = spark.createDataFrame(rows, RawRecordColumns.SCHEMA);
        EnforcedBatch batch = enforce(new ContractEnforcer(registry), raw);

        assertThat(batch.quarantine().select(QuarantineColumns.INGEST_PARTITION_KEY, QuarantineColumns.REASONS).collectAsList())
                .as("quarantined examples").isEmpty();
        List<String> landed = new ArrayList<>();
        batch.silver().forEach((table, silver) -> silver.select(SilverColumns.INGEST_SEQUENCE_NUMBER).collectAsList()
                .forEach(row -> landed.add(row.getString(0) + " " + table)));
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < expectedTables.size(); i++) {
            expected.add(i + " " + expectedTables.get(i));
        }
        assertThat(landed).containsExactlyInAnyOrderElementsOf(expected);
    }

    private static EnforcedBatch enforce(ContractEnforcer enforcer, Dataset<Row> raw)
    {
        return enforcer.enforce(enforcer.parse(raw), Instant.EPOCH);
    }
}
