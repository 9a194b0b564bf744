package io.sluice.sink;

import io.sluice.sink.IdempotentDeltaWriter.WriteResult;
import io.sluice.table.QuarantineColumns;
import io.sluice.table.SilverColumns;
import io.sluice.table.SluiceTables;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static java.util.Objects.requireNonNull;

/**
 * The one commit protocol of a lake, for the stream, backfill and replay alike: append a unit of work's on-time rows
 * (silver first, then bronze and quarantine), insert the silver rows not yet present (late events, backfill, replay),
 * and write the unit's audit row last. Every commit carries its marker ({@link CommitMarkers}): writer
 * {@code sluice:<run>:<table>}, version = the unit (batch id, slice index), so a unit run again writes nothing twice.
 * The callers decide what the rows are; this class decides how they reach the tables.
 */
public final class LakeWriter
{
    /** Bronze, three silver tables and quarantine: enough threads to start every append of a batch at once. */
    private static final int APPEND_PARALLELISM = 6;

    private final SparkSession spark;
    private final SluiceTables tables;
    private final String runId;
    private final IdempotentDeltaWriter writer;

    /**
     * @param runId the streaming query's id, or a batch run's id; names the writers, so it must be the same when a
     *         unit of work runs again
     */
    public LakeWriter(SparkSession spark, SluiceTables tables, CommitMarkers markers, String runId)
    {
        this.spark = requireNonNull(spark, "spark is null");
        this.tables = requireNonNull(tables, "tables is null");
        this.runId = requireNonNull(runId, "runId is null");
        this.writer = new IdempotentDeltaWriter(spark, requireNonNull(markers, "markers is null"));
    }

    /**
     * What one unit of work appends; a table left out is not written at all (an empty append is still a commit).
     *
     * @param silver rows per silver table
     */
    public record Appends(Optional<Dataset<Row>> bronze, Map<String, Dataset<Row>> silver, Optional<Dataset<Row>> quarantine)
    {
        public Appends
        {
            requireNonNull(bronze, "bronze is null");
            silver = Map.copyOf(requireNonNull(silver, "silver is null"));
            requireNonNull(quarantine, "quarantine is null");
        }
    }

    /**
     * Rows each table received, and whether an earlier run of the same unit had already committed any of them.
     *
     * @param silverRows rows per silver table
     */
    public record Written(long bronzeRows, Map<String, Long> silverRows, long quarantineRows, boolean alreadyCommitted)
    {
        public Written
        {
            silverRows = Map.copyOf(requireNonNull(silverRows, "silverRows is null"));
        }
    }

    /** Silver rows inserted per table, and the candidates the tables already held. */
    public record Inserted(Map<String, Long> silverRows, long alreadyPresent, boolean alreadyCommitted)
    {
        public Inserted
        {
            silverRows = Map.copyOf(requireNonNull(silverRows, "silverRows is null"));
        }
    }

    /** Appends the unit's rows: the silver tables side by side, then bronze and quarantine side by side. */
    public Written append(long unit, Appends appends)
    {
        requireNonNull(appends, "appends is null");
        // Threads made here inherit the calling thread's Spark local properties (job group, query id), so the writes
        // they run are cancelled with the query like any other job of the batch.
        ExecutorService pool = Executors.newFixedThreadPool(APPEND_PARALLELISM);
        try {
            // Silver first, bronze and quarantine once it has committed: silver is what readers wait for (freshness).
            // Side by side, the silver appends finished seconds after bronze's (measured: docs/benchmarks.md, freshness),
            // even when submitted first; on a few cores their work only competes, so little overlap is lost.
            Map<String, Future<WriteResult>> silver = new TreeMap<>();
            appends.silver().forEach((table, rows) -> silver.put(table,
                    pool.submit(() -> writer.append(rows, tables.silver(table), writerId("silver:" + table), unit))));
            boolean alreadyCommitted = false;
            Map<String, Long> silverRows = new TreeMap<>();
            for (Map.Entry<String, Future<WriteResult>> table : silver.entrySet()) {
                WriteResult result = await(table.getValue());
                silverRows.put(table.getKey(), result.rows());
                alreadyCommitted |= result.alreadyCommitted();
            }
            Future<WriteResult> bronze = appends.bronze()
                    .map(rows -> pool.submit(() -> writer.append(rows, tables.bronze(), writerId("bronze"), unit)))
                    .orElse(CompletableFuture.completedFuture(new WriteResult(0, false)));
            Future<WriteResult> quarantine = appends.quarantine()
                    .map(rows -> pool.submit(() -> writer.append(rows, tables.quarantine(), writerId("quarantine"), unit)))
                    .orElse(CompletableFuture.completedFuture(new WriteResult(0, false)));
            WriteResult bronzeResult = await(bronze);
            alreadyCommitted |= bronzeResult.alreadyCommitted();
            WriteResult quarantineResult = await(quarantine);
            return new Written(bronzeResult.rows(), silverRows, quarantineResult.rows(), alreadyCommitted | quarantineResult.alreadyCommitted());
        }
        finally {
            pool.shutdownNow();
        }
    }

    /**
     * Inserts the silver rows whose event id their partitions do not hold yet: an insert-only MERGE per table,
     * restricted to the rows' own (event_date, event_type) partitions, one table at a time so a MERGE never races an
     * append of the same unit. Run after {@link #append}.
     *
     * @param role tells these inserts apart from other inserts of the same unit ("late", "backfill", "replay")
     */
    public Inserted insertMissing(String role, long unit, Map<String, Dataset<Row>> silver)
    {
        requireNonNull(role, "role is null");
        Map<String, Long> inserted = new TreeMap<>();
        long alreadyPresent = 0;
        boolean alreadyCommitted = false;
        for (Map.Entry<String, Dataset<Row>> table : new TreeMap<>(silver).entrySet()) {
            long candidates = table.getValue().count();
            if (candidates == 0) {
                inserted.put(table.getKey(), 0L);
                continue;
            }
            WriteResult result = writer.insertNew(table.getValue(), tables.silver(table.getKey()), SilverColumns.EVENT_ID,
                    SilverColumns.INGEST_SEQUENCE_NUMBER, writerId(role + ":" + table.getKey()), unit);
            inserted.put(table.getKey(), result.rows());
            alreadyPresent += candidates - result.rows();
            alreadyCommitted |= result.alreadyCommitted();
        }
        return new Inserted(inserted, alreadyPresent, alreadyCommitted);
    }

    /**
     * Inserts the quarantine rows whose exact payload the table does not hold yet, anywhere in it (quarantine is
     * partitioned by ingest date, which differs between runs). For batch runs, which may meet records an earlier run
     * or the stream already quarantined.
     *
     * @return rows inserted
     */
    public long insertMissingQuarantine(Dataset<Row> rows)
    {
        return writer.insertMissing(rows, tables.quarantine(), List.of(QuarantineColumns.RAW_PAYLOAD), false);
    }

    /** Appends the unit's audit row; written last, so an audit row means every table holds the unit. */
    public void writeAudit(long unit, BatchReport report)
    {
        writer.append(AuditLog.rows(spark, runId, report), tables.audit(), writerId("audit"), unit);
    }

    private String writerId(String table)
    {
        return "sluice:" + runId + ":" + table;
    }

    private static WriteResult await(Future<WriteResult> write)
    {
        try {
            return write.get();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while writing to the lake", e);
        }
        catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("Cannot write to the lake: " + e.getCause().getMessage(), e.getCause());
        }
    }
}
