package io.sluice.sink;

import io.sluice.table.TableSpec;

import io.delta.tables.DeltaTable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.util.List;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;

/**
 * Writes a micro-batch to a Delta table exactly once. Each write carries a commit marker (writer id, batch id; see
 * {@link CommitMarkers}) in the same commit as its data: when Spark re-executes a batch after a crash, the table
 * already holds the marker and the write is skipped. Row counts come from an {@link Observation} on the write itself, so
 * counting costs no second pass; a skipped write is counted from its (deterministic) input instead.
 */
public final class IdempotentDeltaWriter
{
    /** The session setting Delta writes into a MERGE's commit info (the writer option only applies to appends). */
    private static final String COMMIT_USER_METADATA = "spark.databricks.delta.commitInfo.userMetadata";
    /**
     * Delta repartitions a MERGE's output by the table's partition columns before writing it, so that each partition
     * gets one file; a backfill of a day then writes each (date, type) partition in one task, on one core, however
     * many the cluster has. Sluice's MERGEs write the output as it comes out of the join, in parallel, a few files per
     * partition, which {@code sluice maintain} compacts.
     */
    private static final String MERGE_REPARTITION_BEFORE_WRITE = "spark.databricks.delta.merge.repartitionBeforeWrite.enabled";

    private final SparkSession spark;
    private final CommitMarkers markers;
    private final ConcurrentCommits retry = ConcurrentCommits.defaults();

    /** A writer for a run that starts now: none of its writer ids can have committed before. */
    public IdempotentDeltaWriter(SparkSession spark)
    {
        this(spark, new CommitMarkers(spark, java.time.Instant.now()));
    }

    /** @param markers what the tables already hold; kept across the batches of a query, so the log is read once */
    public IdempotentDeltaWriter(SparkSession spark, CommitMarkers markers)
    {
        this.spark = requireNonNull(spark, "spark is null");
        this.markers = requireNonNull(markers, "markers is null");
    }

    /** How many rows a write put in the table, and whether an earlier attempt of the same batch had already done it. */
    public record WriteResult(long rows, boolean alreadyCommitted) {}

    public WriteResult append(Dataset<Row> rows, TableSpec table, String appId, long version)
    {
        requireNonNull(rows, "rows is null");
        requireNonNull(table, "table is null");
        requireNonNull(appId, "appId is null");
        if (markers.isCommitted(table.location(), appId, version)) {
            return new WriteResult(rows.count(), true);
        }
        Observation observation = new Observation("rows_" + table.name());
        rows.observe(observation, count(lit(1)).as("rows"))
                .write()
                .format("delta")
                .mode("append")
                .option("userMetadata", CommitMarkers.marker(appId, version))
                .save(table.location());
        markers.recordCommitted(table.location(), appId, version);
        try {
            return new WriteResult(((Number) observation.getAsJava().get("rows")).longValue(), false);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while counting rows written to " + table.name(), e);
        }
    }

    /**
     * Inserts the rows whose key is not yet in the table, looking only at the partitions the rows belong to, so the
     * cost follows the size of those partitions, not of the table.
     *
     * @param keyColumn a column whose value identifies a row (the event id)
     * @param originColumn a column that tells this batch's rows from earlier ones (the source sequence number), used
     *         to recount a MERGE that an earlier attempt already committed
     * @return rows inserted
     */
    public WriteResult insertNew(Dataset<Row> rows, TableSpec table, String keyColumn, String originColumn, String appId, long version)
    {
        requireNonNull(rows, "rows is null");
        requireNonNull(table, "table is null");
        List<Row> partitions = partitionValues(rows, table);
        if (markers.isCommitted(table.location(), appId, version)) {
            long inserted = DeltaTable.forPath(spark, table.location()).toDF()
                    .where(partitionFilter(partitions, table, ""))
                    .join(rows.select(col(keyColumn), col(originColumn)), new String[] {keyColumn, originColumn})
                    .count();
            return new WriteResult(inserted, true);
        }
        // MERGEs run one at a time, after a batch's appends, so the session-wide setting belongs to this one.
        spark.conf().set(COMMIT_USER_METADATA, CommitMarkers.marker(appId, version));
        try {
            WriteResult result = new WriteResult(mergeMissing(rows, table, List.of(keyColumn), partitions), false);
            markers.recordCommitted(table.location(), appId, version);
            return result;
        }
        finally {
            spark.conf().unset(COMMIT_USER_METADATA);
        }
    }

    /**
     * Inserts the rows whose key is not yet in the table: an insert-only MERGE, so running it again inserts nothing.
     * For batch jobs (backfill, replay), which need no idempotent-writer marker. With {@code withinPartitions}, a row
     * only matches rows of its own partition and the MERGE reads just those partitions.
     *
     * @return rows inserted
     */
    public long insertMissing(Dataset<Row> rows, TableSpec table, List<String> keyColumns, boolean withinPartitions)
    {
        requireNonNull(rows, "rows is null");
        requireNonNull(table, "table is null");
        if (keyColumns.isEmpty()) {
            throw new IllegalArgumentException("Invalid key for table %s: no key columns".formatted(table.name()));
        }
        return mergeMissing(rows, table, keyColumns, withinPartitions ? partitionValues(rows, table) : null);
    }

    /** @param partitions the partitions to restrict the MERGE to, or null for the whole table */
    private long mergeMissing(Dataset<Row> rows, TableSpec table, List<String> keyColumns, List<Row> partitions)
    {
        List<String> matchColumns = new java.util.ArrayList<>(keyColumns);
        if (partitions != null) {
            table.partitionColumns().stream().filter(column -> !matchColumns.contains(column)).forEach(matchColumns::add);
        }
        String condition = matchColumns.stream().map(column -> "t.`%s` = s.`%s`".formatted(column, column)).collect(Collectors.joining(" AND "))
                + (partitions == null ? "" : " AND " + partitionFilter(partitions, table, "t."));
        // A MERGE that lost a commit race to a concurrent writer of the same partitions left nothing behind: run it
        // again on the new snapshot, where it will find the rows the other writer added.
        return retry.run("MERGE into " + table.name(), () -> {
            // MERGEs run one at a time, so the session-wide setting belongs to this one (as the commit's metadata does).
            String repartition = spark.conf().get(MERGE_REPARTITION_BEFORE_WRITE, null);
            spark.conf().set(MERGE_REPARTITION_BEFORE_WRITE, "false");
            try {
                Row metrics = DeltaTable.forPath(spark, table.location()).as("t")
                        .merge(rows.as("s"), condition)
                        .whenNotMatched().insertAll()
                        .execute()
                        .first();
                return ((Number) metrics.getAs("num_inserted_rows")).longValue();
            }
            finally {
                if (repartition == null) {
                    spark.conf().unset(MERGE_REPARTITION_BEFORE_WRITE);
                }
                else {
                    spark.conf().set(MERGE_REPARTITION_BEFORE_WRITE, repartition);
                }
            }
        });
    }

    /** The distinct partition values of the rows, as strings. */
    private static List<Row> partitionValues(Dataset<Row> rows, TableSpec table)
    {
        if (table.partitionColumns().isEmpty()) {
            return List.of();
        }
        return rows.select(table.partitionColumns().stream().map(column -> col(column).cast("string")).toArray(org.apache.spark.sql.Column[]::new))
                .distinct()
                .collectAsList();
    }

    /** A literal predicate on the partition columns ({@code (t.`event_date` = '...' AND ...) OR ...}) so Delta prunes files. */
    private static String partitionFilter(List<Row> values, TableSpec table, String qualifier)
    {
        if (table.partitionColumns().isEmpty()) {
            return "true";
        }
        if (values.isEmpty()) {
            return "false";
        }
        return values.stream()
                .map(row -> {
                    StringBuilder clause = new StringBuilder("(");
                    for (int i = 0; i < table.partitionColumns().size(); i++) {
                        if (i > 0) {
                            clause.append(" AND ");
                        }
                        String column = table.partitionColumns().get(i);
                        clause.append(row.isNullAt(i) ? "%s`%s` IS NULL".formatted(qualifier, column)
                                : "%s`%s` = '%s'".formatted(qualifier, column, row.getString(i).replace("'", "''")));
                    }
                    return clause.append(')').toString();
                })
                .collect(Collectors.joining(" OR ", "(", ")"));
    }
}
