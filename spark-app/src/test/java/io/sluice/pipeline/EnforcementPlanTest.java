package io.sluice.pipeline;

import io.sluice.table.RawRecordColumns;

import io.sluice.contract.Contracts;
import io.sluice.testing.ExtensionContextResolver;
import io.sluice.testing.SharedSpark;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** What is parsed how often: the optimized plans, not just the results, are part of the contract of enforcement. */
@ExtendWith(ExtensionContextResolver.class)
class EnforcementPlanTest
{
    /** The one read of a payload: envelope, contract checks and silver types in one pass. */
    private static final String READ = "sluice_read_record(";

    private static SparkSession spark;

    @BeforeAll
    static void setUp(ExtensionContext context)
    {
        spark = SharedSpark.session(context);
    }

    @Test
    void eachOutputReadsEachPayloadOnce()
    {
        EnforcedBatch batch = enforce(raw());

        for (Dataset<Row> silver : batch.silver().values()) {
            assertThat(count(silver, READ)).isEqualTo(1);
        }
        assertThat(count(batch.quarantine(), READ)).isEqualTo(1);
    }

    @Test
    void filtersAfterParsingDoNotReparse()
    {
        Dataset<Row> parsed = new ContractEnforcer(Contracts.registry()).parse(raw());
        // What a dedup stage between parsing and enforcement might do.
        Dataset<Row> filtered = parsed.filter(parsed.col(EnvelopeColumns.EVENT_ID).isNotNull().and(parsed.col(EnvelopeColumns.EVENT_TIME).isNotNull()));

        assertThat(count(filtered, READ)).isEqualTo(1);
        assertThat(count(filtered.select(EnvelopeColumns.EVENT_ID), READ)).isEqualTo(1);
    }

    @Test
    void theReadRunsInWholeStageGeneratedCode()
    {
        Dataset<Row> parsed = new ContractEnforcer(Contracts.registry()).parse(raw());
        // Outside it, its Project copied each row, payload and all, into a buffer of its own and generated its
        // projection's code again in every task.
        String plan = parsed.queryExecution().executedPlan().treeString();
        List<String> reads = plan.lines().filter(line -> line.contains(READ)).toList();

        assertThat(reads).isNotEmpty().allSatisfy(line -> assertThat(line).as(plan).containsPattern("^[ :|+-]*\\*\\(\\d+\\) Project"));
        assertThat(parsed.select(EnvelopeColumns.EVENT_ID).collectAsList()).hasSize(4).allSatisfy(row -> assertThat(row.getString(0)).isNotNull());
    }

    /** Not a local relation of literals: the optimizer would evaluate those while planning and leave nothing to count. */
    private static Dataset<Row> raw()
    {
        Column id = functions.col("id");
        return spark.range(4).select(
                functions.when(id.geq(0), functions.lit(Events.bytes(Events.serve(1)))).as(RawRecordColumns.DATA),
                functions.lit("s").as(RawRecordColumns.STREAM_NAME),
                id.cast("string").as(RawRecordColumns.PARTITION_KEY),
                id.cast("string").as(RawRecordColumns.SEQUENCE_NUMBER),
                functions.current_timestamp().as(RawRecordColumns.APPROXIMATE_ARRIVAL_TIMESTAMP),
                functions.lit(null).cast("string").as(RawRecordColumns.SHARD_ID));
    }

    private static EnforcedBatch enforce(Dataset<Row> raw)
    {
        return new ContractEnforcer(Contracts.registry()).enforce(new ContractEnforcer(Contracts.registry()).parse(raw), Instant.EPOCH);
    }

    private static int count(Dataset<Row> dataset, String text)
    {
        Matcher matcher = Pattern.compile(Pattern.quote(text)).matcher(dataset.queryExecution().optimizedPlan().toString());
        int count = 0;
        while (matcher.find()) {
            count++;
        }
        return count;
    }
}
