package io.sluice.marts;

import io.delta.tables.DeltaTable;
import io.sluice.sink.DeltaTables;
import io.sluice.table.LakeLayout;
import io.sluice.table.TableSpec;
import io.sluice.lake.Lake;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * The gold marts, built from silver: {@value #PLAYER_DAILY_SERVES} (one row per player and event date) and
 * {@value #MATCH_SUMMARY} (one row per match).
 *
 * <p>Incremental without state of its own: each mart row carries {@code last_ingest_time}, the newest silver
 * {@code ingest_time} among the rows it was computed from. A run recomputes, whole and from silver, every key that has a
 * silver row ingested after the mart's newest {@code last_ingest_time} minus {@link #LOOKBACK} (the look-back covers a
 * stream batch that took its ingest time before the previous run and committed after it). Late events, backfills and
 * replays write silver rows with a new ingest time, so their keys are recomputed too. Only recomputed rows that differ
 * from the mart are merged; when none do, nothing is written, so a rerun leaves every mart at its version.
 */
public final class GoldMarts
{
    public static final String PLAYER_DAILY_SERVES = "player_daily_serves";
    public static final String MATCH_SUMMARY = "match_summary";
    public static final Duration LOOKBACK = Duration.ofHours(1);

    static final StructType PLAYER_DAILY_SERVES_SCHEMA = new StructType()
            .add("event_date", DataTypes.DateType, false)
            .add("player_id", DataTypes.StringType, false)
            .add("serves", DataTypes.LongType, false)
            .add("first_serves", DataTypes.LongType, false)
            .add("aces", DataTypes.LongType, false)
            .add("faults", DataTypes.LongType, false)
            .add("double_faults", DataTypes.LongType, false)
            .add("fastest_kmh", DataTypes.DoubleType, true)
            .add("avg_speed_kmh", DataTypes.DoubleType, true)
            .add("last_ingest_time", DataTypes.TimestampType, false);

    static final StructType MATCH_SUMMARY_SCHEMA = new StructType()
            .add("match_id", DataTypes.StringType, false)
            .add("tournament", DataTypes.StringType, true)
            .add("court", DataTypes.StringType, true)
            .add("status", DataTypes.StringType, true)
            .add("first_event_time", DataTypes.TimestampType, true)
            .add("last_event_time", DataTypes.TimestampType, true)
            .add("points", DataTypes.LongType, false)
            .add("longest_rally", DataTypes.IntegerType, true)
            .add("serves", DataTypes.LongType, false)
            .add("aces", DataTypes.LongType, false)
            .add("double_faults", DataTypes.LongType, false)
            .add("fastest_serve_kmh", DataTypes.DoubleType, true)
            .add("last_ingest_time", DataTypes.TimestampType, false);

    private final SparkSession spark;
    private final Lake lake;
    private final Consumer<String> progress;

    public GoldMarts(SparkSession spark, Lake lake, Consumer<String> progress)
    {
        this.spark = requireNonNull(spark, "spark is null");
        this.lake = requireNonNull(lake, "lake is null");
        this.progress = requireNonNull(progress, "progress is null");
    }

    /** The marts' tables: {@code <lake.root>/gold/<name>}, unpartitioned (one row per player-day or match is small). */
    public static List<TableSpec> tables(LakeLayout layout)
    {
        String gold = layout.lakeRoot() + "/gold/";
        return List.of(
                new TableSpec(PLAYER_DAILY_SERVES, gold + PLAYER_DAILY_SERVES, PLAYER_DAILY_SERVES_SCHEMA, List.of(), false),
                new TableSpec(MATCH_SUMMARY, gold + MATCH_SUMMARY, MATCH_SUMMARY_SCHEMA, List.of(), false));
    }

    /** Brings every mart up to date with silver; one result per mart, in {@link #tables} order. */
    public List<MartRun> build()
    {
        List<TableSpec> marts = tables(lake.layout());
        DeltaTables deltaTables = new DeltaTables(spark);
        marts.forEach(deltaTables::ensure);
        String serves = silver("tennis_serves");
        String points = silver("tennis_points");
        String matches = silver("tennis_match_status");
        List<MartRun> runs = new ArrayList<>();
        runs.add(refresh(marts.get(0), List.of("event_date", "player_id"), """
                WITH changed AS (
                    SELECT DISTINCT event_date, player_id FROM %1$s WHERE ingest_time > %2$s)
                SELECT event_date, player_id,
                       count(*) AS serves,
                       count_if(serve_number = 1) AS first_serves,
                       count_if(outcome = 'ace') AS aces,
                       count_if(outcome IN ('fault', 'double_fault')) AS faults,
                       count_if(outcome = 'double_fault') AS double_faults,
                       max(speed_kmh) AS fastest_kmh,
                       round(avg(speed_kmh), 2) AS avg_speed_kmh,
                       max(ingest_time) AS last_ingest_time
                FROM %1$s LEFT SEMI JOIN changed USING (event_date, player_id)
                GROUP BY event_date, player_id""".formatted(serves, "{since}")));
        runs.add(refresh(marts.get(1), List.of("match_id"), """
                WITH changed AS (
                    SELECT match_id FROM %1$s WHERE ingest_time > %4$s
                    UNION SELECT match_id FROM %2$s WHERE ingest_time > %4$s
                    UNION SELECT match_id FROM %3$s WHERE ingest_time > %4$s),
                status AS (
                    SELECT match_id,
                           max_by(tournament, struct(event_time, event_id)) AS tournament,
                           max_by(court, struct(event_time, event_id)) AS court,
                           max_by(status, struct(event_time, event_id)) AS status,
                           min(event_time) AS first_event_time, max(event_time) AS last_event_time, max(ingest_time) AS last_ingest_time
                    FROM %1$s LEFT SEMI JOIN changed USING (match_id) GROUP BY match_id),
                point_totals AS (
                    SELECT match_id, count(*) AS points, max(rally_length) AS longest_rally,
                           min(event_time) AS first_event_time, max(event_time) AS last_event_time, max(ingest_time) AS last_ingest_time
                    FROM %2$s LEFT SEMI JOIN changed USING (match_id) GROUP BY match_id),
                serve_totals AS (
                    SELECT match_id, count(*) AS serves, count_if(outcome = 'ace') AS aces, count_if(outcome = 'double_fault') AS double_faults,
                           max(speed_kmh) AS fastest_serve_kmh,
                           min(event_time) AS first_event_time, max(event_time) AS last_event_time, max(ingest_time) AS last_ingest_time
                    FROM %3$s LEFT SEMI JOIN changed USING (match_id) GROUP BY match_id)
                SELECT match_id, s.tournament, s.court, s.status,
                       least(s.first_event_time, p.first_event_time, v.first_event_time) AS first_event_time,
                       greatest(s.last_event_time, p.last_event_time, v.last_event_time) AS last_event_time,
                       coalesce(p.points, 0) AS points, p.longest_rally,
                       coalesce(v.serves, 0) AS serves, coalesce(v.aces, 0) AS aces, coalesce(v.double_faults, 0) AS double_faults,
                       v.fastest_serve_kmh,
                       greatest(s.last_ingest_time, p.last_ingest_time, v.last_ingest_time) AS last_ingest_time
                FROM status s FULL OUTER JOIN point_totals p USING (match_id) FULL OUTER JOIN serve_totals v USING (match_id)"""
                .formatted(matches, points, serves, "{since}")));
        return runs;
    }

    /**
     * Recomputes the keys with new silver rows ({@code query} takes the ingest-time bound as its one placeholder) and
     * merges the rows that differ from the mart's.
     */
    private MartRun refresh(TableSpec mart, List<String> keys, String query)
    {
        Dataset<Row> existing = spark.read().format("delta").load(mart.location());
        Row newest = existing.selectExpr("max(last_ingest_time)").first();
        // Microseconds since the epoch, so the bound does not depend on the session's time zone.
        long since = newest.isNullAt(0)
                ? 0L
                : java.util.concurrent.TimeUnit.SECONDS.toMicros(newest.getTimestamp(0).toInstant().minus(LOOKBACK).getEpochSecond())
                        + newest.getTimestamp(0).getNanos() / 1000;
        Dataset<Row> recomputed = spark.sql(query.replace("{since}", "timestamp_micros(%d)".formatted(since)))
                .selectExpr(List.of(mart.schema().fieldNames()).stream().map(name -> "`" + name + "`").toArray(String[]::new));
        Dataset<Row> changed = recomputed.except(existing).cache();
        try {
            long keysRecomputed = recomputed.count();
            long rowsChanged = changed.count();
            if (rowsChanged > 0) {
                String condition = String.join(" AND ", keys.stream().map(key -> "mart.%1$s = changed.%1$s".formatted(key)).toList());
                DeltaTable.forPath(spark, mart.location()).as("mart")
                        .merge(changed.as("changed"), condition)
                        .whenMatched().updateAll()
                        .whenNotMatched().insertAll()
                        .execute();
            }
            MartRun run = new MartRun(mart.name(), keysRecomputed, rowsChanged);
            progress.accept(run.summaryLine());
            return run;
        }
        finally {
            changed.unpersist();
        }
    }

    private String silver(String table)
    {
        return "delta.`%s`".formatted(lake.tables().silver(table).location().replace("`", "``"));
    }
}
