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
import org.apache.spark.sql.catalyst.optimizer.BooleanSimplification$;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** What is parsed how often: the optimized plans, not just the results, are part of the contract of enforcement. */
@ExtendWith(ExtensionContextResolver.class)
class EnforcementPlanTest
{
    /** Envelope, syntax probe (failed rows only), one per object level: match 1, point 2 (data, score), serve v1 1, serve v2 1. */
    private static final int JSON_PARSES = 7;

    private static SparkSession spark;

    @BeforeAll
    static void setUp(ExtensionContext context)
    {
        spark = SharedSpark.session(context);
    }

    @Test
    void eachOutputParsesEachJsonLevelOnce()
    {
        EnforcedBatch batch = enforce(raw());

        for (Dataset<Row> silver : batch.silver().values()) {
            assertThat(count(silver, "from_json(")).isEqualTo(JSON_PARSES);
        }
        assertThat(count(batch.quarantine(), "from_json(")).isEqualTo(JSON_PARSES);
    }

    @Test
    void filtersAfterParsingDoNotReparse()
    {
        Dataset<Row> parsed = new EnvelopeParser(EnforcementLimits.defaults()).parse(raw());
        // What a dedup stage between parsing and enforcement might do.
        Dataset<Row> filtered = parsed.filter(parsed.col(EnvelopeColumns.EVENT_ID).isNotNull().and(parsed.col(EnvelopeColumns.EVENT_TIME).isNotNull()));

        assertThat(count(filtered, "from_json(")).isEqualTo(2);
        assertThat(count(filtered.select(EnvelopeColumns.EVENT_ID), "from_json(")).isEqualTo(1);
    }

    /**
     * Spark optimizes the streaming plan again every micro-batch, running its rule batch over the routing's ~10,000
     * nodes until nothing changes. A NOT over a chain of ORs would be rewritten by BooleanSimplification one level per
     * pass, so the whole batch would run once per level (13 passes instead of 5 here); the routing is written so
     * that the rule settles at once.
     */
    @Test
    void booleanSimplificationSettlesTheRoutingPlanInOnePass()
    {
        Dataset<Row> routed = new ContractEnforcer(Contracts.registry())
                .route(new EnvelopeParser(EnforcementLimits.defaults()).parse(raw()), functions.current_timestamp());
        LogicalPlan once = BooleanSimplification$.MODULE$.apply(routed.queryExecution().analyzed());
        LogicalPlan twice = BooleanSimplification$.MODULE$.apply(once);

        assertThat(twice.fastEquals(once)).as("a second pass of BooleanSimplification changes the routing plan").isTrue();
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
        return new ContractEnforcer(Contracts.registry()).enforce(new EnvelopeParser(EnforcementLimits.defaults()).parse(raw), Instant.EPOCH);
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
