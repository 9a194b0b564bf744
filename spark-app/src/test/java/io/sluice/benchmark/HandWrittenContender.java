package io.sluice.benchmark;

import io.sluice.contract.ContractRegistry;
import io.sluice.table.SilverColumns;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.Trigger;

import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeoutException;

import static java.util.Objects.requireNonNull;

/**
 * (b) The job a data engineer would write by hand for the same silver tables, as Spark's documentation shows it:
 * per micro-batch ({@code foreachBatch}), parse the envelope once (with {@code data} kept as JSON text), persist it
 * because several tables are written from it, then per table {@code from_json} of {@code data} with the contract's
 * schema ({@link HandWrittenSilver}), appended with the same columns and partitioning as Sluice's silver, idempotent
 * through {@code txnAppId}/{@code txnVersion}. No dedup, validation, bronze, quarantine or audit; tables are created by
 * the first append with Delta's defaults, as a user's would be.
 */
final class HandWrittenContender
        implements Contender
{
    private final HandWrittenSilver silver;
    private final Trigger trigger;

    HandWrittenContender(ContractRegistry contracts, Trigger trigger)
    {
        this.silver = new HandWrittenSilver(contracts);
        this.trigger = requireNonNull(trigger, "trigger is null");
    }

    @Override
    public String name()
    {
        return "handwritten";
    }

    @Override
    public Started start(Dataset<Row> raw, Path directory)
    {
        // A new checkpoint needs a new appId: the query's own id would do, it is not known before start.
        String appId = "handwritten-" + UUID.randomUUID();
        VoidFunction2<Dataset<Row>, Long> writeBatch = (batch, batchId) -> {
            Dataset<Row> events = HandWrittenSilver.events(batch).persist();
            try {
                silver.tables().forEach(name -> silver.silverRows(events, name)
                        .write()
                        .format("delta")
                        .mode("append")
                        .partitionBy(SilverColumns.PARTITION_COLUMNS.toArray(String[]::new))
                        .option("txnAppId", appId)
                        .option("txnVersion", batchId)
                        .save(directory.resolve("silver").resolve(name).toString()));
            }
            finally {
                events.unpersist();
            }
        };
        try {
            var query = raw.writeStream()
                    .option("checkpointLocation", directory.resolve("checkpoint").toString())
                    .trigger(trigger)
                    .foreachBatch(writeBatch)
                    .start();
            // The input count is checked from the query's progress; this job makes no promise about what lands.
            return new Started(query, input -> {});
        }
        catch (TimeoutException e) {
            throw new IllegalStateException("Cannot start the hand-written query: " + e.getMessage(), e);
        }
    }
}
