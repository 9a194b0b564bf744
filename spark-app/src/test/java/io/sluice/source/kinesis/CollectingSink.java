package io.sluice.source.kinesis;

import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A foreachBatch sink keeping rows per batch id. A batch that runs again (after a restart) replaces its first
 * run's rows, as an idempotent sink would, and must have read exactly the same rows.
 */
final class CollectingSink
        implements VoidFunction2<Dataset<Row>, Long>
{
    record Collected(long batchId, String shardId, String sequenceNumber, String partitionKey, String data, int index) {}

    private final Map<Long, List<Collected>> batches = new ConcurrentSkipListMap<>();
    private final AtomicInteger replays = new AtomicInteger();
    private final long failOnceAfterBatch;
    private final AtomicBoolean failed = new AtomicBoolean();

    CollectingSink()
    {
        this(-1);
    }

    /** A sink that fails the query once, after keeping the rows of batch {@code failOnceAfterBatch}. */
    CollectingSink(long failOnceAfterBatch)
    {
        this.failOnceAfterBatch = failOnceAfterBatch;
    }

    @Override
    public void call(Dataset<Row> batch, Long batchId)
    {
        List<Collected> rows = new ArrayList<>();
        int index = 0;
        for (Row row : batch.collectAsList()) {
            rows.add(new Collected(batchId, row.getAs("shardId"), row.getAs("sequenceNumber"), row.getAs("partitionKey"),
                    new String((byte[]) row.getAs("data"), StandardCharsets.UTF_8), index++));
        }
        List<Collected> previous = batches.put(batchId, rows);
        if (previous != null) {
            replays.incrementAndGet();
            assertThat(rows).as("rows of re-run batch %d", batchId).containsExactlyElementsOf(previous);
        }
        if (batchId == failOnceAfterBatch && failed.compareAndSet(false, true)) {
            throw new IllegalStateException("Injected failure in batch " + batchId);
        }
    }

    List<Collected> rows()
    {
        return batches.values().stream().flatMap(List::stream).toList();
    }

    int replays()
    {
        return replays.get();
    }
}
