package io.sluice.notebooks;

import io.delta.tables.DeltaTable;
import io.sluice.marts.GoldMarts;
import io.sluice.marts.MartRun;
import io.sluice.table.TableSpec;
import io.sluice.testing.ExtensionContextResolver;
import io.sluice.testing.SeededLake;
import io.sluice.testing.SharedSpark;
import io.sluice.trino.AthenaCatalog;
import io.sluice.trino.LakeCatalog;
import io.sluice.trino.QueryResult;
import io.sluice.trino.TrinoSession;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seeded lake on both engines: the gold marts (idempotent, late rows reach them), the local Trino's catalog laid out
 * like Athena's, and every notebook query executed on Spark and every Athena saved query on Trino, with equal results
 * where a query runs on both. One lake and one Trino for the class; executed notebooks go to target/notebooks.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(ExtensionContextResolver.class)
final class LakeOnTrinoTest
{
    private SparkSession spark;
    private SeededLake seeded;
    private TrinoSession trino;

    @BeforeAll
    void buildTheLakeAndStartTrino(ExtensionContext context)
            throws Exception
    {
        spark = SharedSpark.session(context);
        Path root = Files.createTempDirectory("sluice-notebooks-test");
        long started = System.nanoTime();
        seeded = SeededLake.build(spark, root, 7, 2, 1_500);
        System.out.printf("LakeOnTrinoTest: seeded lake of %,d records in %.1f s%n", seeded.records().size(), (System.nanoTime() - started) / 1e9);
        started = System.nanoTime();
        trino = TrinoSession.open(Path.of(System.getProperty("sluice.home")), seeded.lake(), AthenaCatalog.defaults());
        System.out.printf("LakeOnTrinoTest: Trino up with %d tables in %.1f s%n", trino.tables().size(), (System.nanoTime() - started) / 1e9);
    }

    @AfterAll
    void stopTrino()
    {
        if (trino != null) {
            trino.close();
        }
        if (seeded != null) {
            try (java.util.stream.Stream<Path> files = Files.walk(seeded.root())) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
            catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    @Test
    @Order(1)
    void trinoSeesEveryTableUnderAthenasCatalogAndDatabaseWithSparksRowCounts()
    {
        List<String> expected = LakeCatalog.tables(seeded.lake()).stream().map(TableSpec::name).sorted().toList();
        assertThat(expected).contains("raw_events", "ingest_audit", "quarantine", "tennis_serves", "tennis_points", "tennis_match_status",
                GoldMarts.PLAYER_DAILY_SERVES, GoldMarts.MATCH_SUMMARY);

        QueryResult tables = trino.query("SELECT table_name FROM awsdatacatalog.information_schema.tables WHERE table_schema = 'sluice_dev' ORDER BY 1");

        assertThat(tables.rows()).extracting(row -> (String) row.get(0)).containsExactlyElementsOf(expected);
        for (TableSpec table : LakeCatalog.tables(seeded.lake())) {
            long sparkCount = spark.read().format("delta").load(table.location()).count();
            assertThat(sparkCount).as(table.name()).isPositive();
            assertThat(trino.query("SELECT count(*) FROM " + table.name()).rows().get(0).get(0)).as(table.name()).isEqualTo(sparkCount);
        }
    }

    @Test
    @Order(2)
    void aSecondMartsRunChangesNothing()
    {
        Map<String, Long> before = martVersions();

        List<MartRun> runs = new GoldMarts(spark, seeded.lake(), line -> { }).build();

        assertThat(runs).allSatisfy(run -> {
            assertThat(run.keysRecomputed()).as(run.table()).isPositive();
            assertThat(run.rowsChanged()).as(run.table()).isZero();
        });
        assertThat(martVersions()).isEqualTo(before);
        Row totals = spark.sql("SELECT (SELECT sum(serves) FROM delta.`%s`), (SELECT count(*) FROM delta.`%s`)".formatted(
                mart(GoldMarts.PLAYER_DAILY_SERVES).location(), seeded.lake().tables().silver("tennis_serves").location())).first();
        assertThat(totals.getLong(0)).isEqualTo(totals.getLong(1));
    }

    @Test
    @Order(3)
    void aLateServeReachesTheMartsAndAthenasView()
    {
        String serves = seeded.lake().tables().silver("tennis_serves").location();
        // What the late path writes: an old event time, a new ingest time (the insert-only MERGE of a late event).
        Row player = spark.sql("SELECT player_id, event_date, match_id, count(*) FROM delta.`%s` GROUP BY 1, 2, 3 ORDER BY 1, 2, 3 LIMIT 1"
                .formatted(serves)).first();
        spark.read().format("delta").load(serves)
                .where(col("player_id").equalTo(player.getString(0)).and(col("event_date").equalTo(player.getDate(1)))
                        .and(col("match_id").equalTo(player.getString(2))))
                .orderBy("event_id").limit(1)
                .withColumn("event_id", concat(col("event_id"), lit("-late")))
                .withColumn("speed_kmh", lit(270.0))
                .withColumn("outcome", lit("ace"))
                .withColumn("ingest_time", current_timestamp())
                .write().format("delta").mode("append").save(serves);

        List<MartRun> runs = new GoldMarts(spark, seeded.lake(), line -> { }).build();

        assertThat(runs).allSatisfy(run -> assertThat(run.rowsChanged()).as(run.table()).isEqualTo(1));
        QueryResult daily = trino.query("SELECT serves, fastest_kmh FROM player_daily_serves WHERE player_id = '%s' AND event_date = DATE '%s'"
                .formatted(player.getString(0), player.getDate(1)));
        assertThat(daily.rows()).hasSize(1);
        assertThat(daily.rows().get(0)).containsExactly(
                spark.sql("SELECT count(*) FROM delta.`%s` WHERE player_id = '%s' AND event_date = DATE '%s'".formatted(serves, player.getString(0), player.getDate(1)))
                        .first().getLong(0),
                270.0);
        QueryResult match = trino.query("SELECT fastest_serve_kmh FROM match_summary WHERE match_id = '%s'".formatted(player.getString(2)));
        assertThat(match.rows()).containsExactly(List.of(270.0));
    }

    @Test
    @Order(4)
    void everyNotebookQueryRunsOnSparkAndEveryAthenaQueryOnTrinoWithEqualResults()
            throws Exception
    {
        Path home = Path.of(System.getProperty("sluice.home"));
        NotebookRunner runner = new NotebookRunner(spark, seeded.lake(), trino, home.resolve("notebooks"), home.resolve("spark-app/target/notebooks"));

        NotebookRunner.Report report = runner.runAll();

        System.out.println("LakeOnTrinoTest: " + report.summaryLine());
        assertThat(report.notebooks()).as("notebooks").hasSizeGreaterThanOrEqualTo(3);
        assertThat(report.mismatches()).as("queries whose Spark and Trino results differ").isEmpty();
        assertThat(report.athenaQueriesRun()).as("every saved query ran on Trino").containsExactlyInAnyOrderElementsOf(report.athenaQueryFiles());
        assertThat(report.comparisons()).as("queries compared on both engines").isGreaterThanOrEqualTo(6);
        assertThat(report.charts()).as("charts rendered").isGreaterThanOrEqualTo(3);
    }

    private Map<String, Long> martVersions()
    {
        Map<String, Long> versions = new LinkedHashMap<>();
        for (TableSpec table : GoldMarts.tables(seeded.lake().layout())) {
            versions.put(table.name(), DeltaTable.forPath(spark, table.location()).history(1).first().getLong(0));
        }
        return versions;
    }

    private TableSpec mart(String name)
    {
        return GoldMarts.tables(seeded.lake().layout()).stream().filter(table -> table.name().equals(name)).findFirst().orElseThrow();
    }
}
