package io.sluice.cdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.assertions.Match;

/** cdk-nag has no Athena rules: engine, encryption, enforcement and the scan cutoff are checked here. */
class AthenaConstructTest
{

    @TempDir
    Path tmp;

    @Test
    void workgroupUsesEngineV3EncryptsResultsWithTheCmkAndEnforcesItsSettings() throws Exception
    {
        Synth dev = Synth.of(Map.of("env", "dev", "notebooksDir", tmp.resolve("absent").toString()));
        String key = dev.resources("AWS::KMS::Key").keySet().iterator().next();
        dev.template().resourceCountIs("AWS::Athena::WorkGroup", 1);
        dev.template().hasResourceProperties("AWS::Athena::WorkGroup", Match.objectLike(Map.of(
                "Name", "sluice-dev",
                "State", "ENABLED",
                "WorkGroupConfiguration", Match.objectLike(Map.of(
                        "EngineVersion", Map.of("SelectedEngineVersion", "Athena engine version 3"),
                        "EnforceWorkGroupConfiguration", true,
                        "PublishCloudWatchMetricsEnabled", true,
                        "BytesScannedCutoffPerQuery", 10L * 1024 * 1024 * 1024,
                        "ResultConfiguration", Match.objectLike(Map.of(
                                "OutputLocation", Match.objectLike(Map.of("Fn::Join", Match.arrayWith(List.of(
                                        Match.arrayWith(List.of(Match.stringLikeRegexp(".*/athena-results/")))))))
                                , "EncryptionConfiguration", Map.of(
                                        "EncryptionOption", "SSE_KMS",
                                        "KmsKey", Map.of("Fn::GetAtt", List.of(key, "Arn"))))))))));
        dev.template().resourceCountIs("AWS::Athena::NamedQuery", 0);
    }

    @Test
    void cutoffComesFromContextAndProdIsLarger()
    {
        Synth custom = Synth.of(Map.of("env", "dev", "athenaBytesScannedCutoff", "1000000000",
                "notebooksDir", tmp.toString()));
        custom.template().hasResourceProperties("AWS::Athena::WorkGroup", Match.objectLike(Map.of(
                "WorkGroupConfiguration", Match.objectLike(Map.of("BytesScannedCutoffPerQuery", 1_000_000_000)))));
        assertThat(SluiceSettings.prod().build().athenaBytesScannedCutoff())
                .isGreaterThan(SluiceSettings.dev().build().athenaBytesScannedCutoff());
    }

    @Test
    void everySqlFileInNotebooksBecomesANamedQuery() throws Exception
    {
        Files.writeString(tmp.resolve("serves_per_day.sql"), "SELECT event_date, count(*) FROM tennis_serves GROUP BY 1");
        Files.writeString(tmp.resolve("b_quarantine.SQL"), "SELECT * FROM quarantine LIMIT 10");
        Files.writeString(tmp.resolve("README.md"), "not a query");
        Files.writeString(tmp.resolve("empty.sql"), "   \n");
        Synth dev = Synth.of(Map.of("env", "dev", "notebooksDir", tmp.toString()));
        dev.template().resourceCountIs("AWS::Athena::NamedQuery", 2);
        dev.template().hasResourceProperties("AWS::Athena::NamedQuery", Map.of(
                "Name", "serves_per_day",
                "Description", "From notebooks/serves_per_day.sql",
                "Database", "sluice_dev",
                "WorkGroup", Match.objectLike(Map.of("Ref", Match.anyValue())),
                "QueryString", "SELECT event_date, count(*) FROM tennis_serves GROUP BY 1"));
        dev.template().hasResourceProperties("AWS::Athena::NamedQuery", Match.objectLike(Map.of(
                "Name", "b_quarantine", "Database", "sluice_dev_raw")));
    }

    @Test
    void theRepositorysNotebookQueriesAreSavedOnePerFile() throws Exception
    {
        Path notebooks = SluiceApp.repositoryRoot().orElseThrow().resolve("notebooks");
        List<Path> files = AthenaConstruct.sqlFiles(notebooks);
        assertThat(files).hasSizeGreaterThanOrEqualTo(3);
        // cdk synth (SluiceApp.settings) finds the checkout's notebooks/ by itself; Synth takes context only.
        assertThat(SluiceApp.settings(SluiceApp.newApp(Map.of("env", "dev"))).notebooksDir()).contains(notebooks);
        Synth dev = Synth.of(Map.of("env", "dev", "notebooksDir", notebooks.toString()));
        dev.template().resourceCountIs("AWS::Athena::NamedQuery", files.size());
        for (Path file : files) {
            String name = file.getFileName().toString().replaceFirst("\\.sql$", "");
            String sql = Files.readString(file);
            dev.template().hasResourceProperties("AWS::Athena::NamedQuery", Match.objectLike(Map.of(
                    "Name", name,
                    "Description", "From notebooks/" + file.getFileName(),
                    "Database", sql.contains("FROM quarantine") ? "sluice_dev_raw" : "sluice_dev",
                    "QueryString", sql)));
        }
    }

    @Test
    void tablesReadAreTheNamesAfterFromAndJoin()
    {
        assertThat(AthenaConstruct.tablesRead("""
                -- from the audit table: FROM nowhere
                WITH t AS (SELECT * FROM tennis_serves s JOIN tennis_points p ON s.match_id = p.match_id)
                SELECT try(from_utf8(raw_payload)) FROM quarantine CROSS JOIN UNNEST(reasons) AS r(a, b, c), t
                """)).containsExactly("quarantine", "tennis_points", "tennis_serves");
    }

    @Test
    void anEmptyNotebooksDirectoryGivesNoQueries()
    {
        Synth dev = Synth.of(Map.of("env", "dev", "notebooksDir", tmp.toString()));
        dev.template().resourceCountIs("AWS::Athena::NamedQuery", 0);
        assertThat(AthenaConstruct.sqlFiles(tmp.resolve("missing"))).isEmpty();
    }
}
