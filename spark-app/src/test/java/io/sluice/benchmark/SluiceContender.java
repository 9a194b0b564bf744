package io.sluice.benchmark;

import io.sluice.config.ConfigKeys;
import io.sluice.config.SluiceConfig;
import io.sluice.sink.BatchReport;
import io.sluice.table.TableSpec;
import io.sluice.stream.BatchActivity;
import io.sluice.lake.Lake;
import io.sluice.stream.StreamingJob;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.col;

/**
 * (c) Sluice with everything on, started through the production wiring ({@link StreamingJob#start(Dataset,
 * java.util.function.Consumer, BatchActivity)}), so whatever the pipeline becomes is what gets measured. A run counts
 * only if every batch balances and silver holds exactly the generator's valid ids, each once.
 */
final class SluiceContender
        implements Contender
{
    private final SparkSession spark;
    private final SluiceConfig config;

    /** @param config the benchmark's configuration; each run gets its own lake and checkpoint root under its directory */
    SluiceContender(SparkSession spark, SluiceConfig config)
    {
        this.spark = requireNonNull(spark, "spark is null");
        this.config = requireNonNull(config, "config is null");
    }

    @Override
    public String name()
    {
        return "sluice";
    }

    @Override
    public Started start(Dataset<Row> raw, Path directory)
    {
        Lake lake = Lake.of(config.with(Map.of(
                ConfigKeys.LAKE_ROOT.name(), directory.resolve("lake").toString(),
                ConfigKeys.CHECKPOINT_ROOT.name(), directory.resolve("checkpoints").toString())));
        List<BatchReport> reports = new CopyOnWriteArrayList<>();
        var query = new StreamingJob(spark, lake).start(raw, reports::add, new BatchActivity());
        return new Started(query, input -> verify(lake, reports, input));
    }

    private void verify(Lake lake, List<BatchReport> reports, PipelineInput input)
    {
        List<String> problems = new ArrayList<>();
        long read = 0;
        for (BatchReport report : reports) {
            read += report.recordsRead();
            if (!report.balanced() || report.alreadyCommitted()) {
                problems.add(report.summaryLine());
            }
        }
        if (read != input.records()) {
            problems.add("read %,d records, the input has %,d".formatted(read, input.records()));
        }
        Dataset<Row> silver = null;
        for (TableSpec table : lake.tables().silver().values()) {
            Dataset<Row> ids = spark.read().format("delta").load(table.location()).select(col("event_id"));
            silver = silver == null ? ids : silver.union(ids);
        }
        requireNonNull(silver, "no silver table");
        Dataset<Row> expected = spark.createDataset(new ArrayList<>(input.validIds()), Encoders.STRING()).toDF("event_id");
        long twice = silver.groupBy("event_id").count().filter(col("count").gt(1)).count();
        List<String> missing = expected.except(silver).limit(3).as(Encoders.STRING()).collectAsList();
        long missingCount = expected.except(silver).count();
        long unexpected = silver.except(expected).count();
        if (twice > 0 || missingCount > 0 || unexpected > 0) {
            problems.add("silver ids differ from the generator's %,d valid ids: %,d missing (e.g. %s), %,d not valid, %,d more than once"
                    .formatted(input.validIds().size(), missingCount, missing, unexpected, twice));
        }
        if (!problems.isEmpty()) {
            throw new BenchmarkFailure("sluice: the run does not count: " + String.join("; ", problems));
        }
    }
}
