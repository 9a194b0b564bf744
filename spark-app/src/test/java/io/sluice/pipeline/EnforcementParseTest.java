package io.sluice.pipeline;

import io.sluice.contract.Contracts;
import io.sluice.table.RawRecordColumns;

import io.sluice.testing.ExtensionContextResolver;
import io.sluice.testing.SharedSpark;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

import static io.sluice.pipeline.Events.bytes;
import static io.sluice.pipeline.Events.serve;
import static io.sluice.pipeline.Events.utf8;
import static io.sluice.pipeline.Events.with;
import static org.assertj.core.api.Assertions.assertThat;

/** The parser's promise to the dedup stage: event_id and event_time are typed, top-level, and null when unusable. */
@ExtendWith(ExtensionContextResolver.class)
class EnforcementParseTest
{
    private static SparkSession spark;

    @BeforeAll
    static void setUp(ExtensionContext context)
    {
        spark = SharedSpark.session(context);
    }

    @Test
    void exposesEventIdAndTimeForDedup()
    {
        List<Row> rows = new ContractEnforcer(Contracts.registry()).parse(Events.raw(spark, List.of(
                        bytes(with(serve(1), e -> e.put("id", "1B4E28BA-2FA1-41D2-883F-0016D3CCA427"))),
                        bytes(with(serve(1), e -> e.put("time", "2026-06-29T15:05:12.5+02:00"))),
                        bytes(with(serve(1), e -> e.put("id", "not-a-uuid").put("time", "yesterday"))),
                        bytes(with(serve(1), e -> e.remove(List.of("id", "time")))),
                        utf8("{\"id\": "))))
                .orderBy(RawRecordColumns.SEQUENCE_NUMBER)
                .collectAsList();

        String defaultId = serve(1).get("id").textValue();
        assertThat(rows).extracting(row -> (String) row.getAs(EnvelopeColumns.EVENT_ID))
                .containsExactly("1B4E28BA-2FA1-41D2-883F-0016D3CCA427", defaultId, null, null, null);
        assertThat(rows).extracting(row -> instant(row.getAs(EnvelopeColumns.EVENT_TIME))).containsExactly(
                Instant.parse("2026-06-29T13:05:12.345Z"), Instant.parse("2026-06-29T13:05:12.500Z"), null, null, null);
    }

    @Test
    void keepsTheRawColumnsAndAddsTheParsedOnes()
    {
        var parsed = new ContractEnforcer(Contracts.registry()).parse(Events.raw(spark, List.of(bytes(serve(1)))));

        assertThat(parsed.columns()).startsWith(RawRecordColumns.SCHEMA.fieldNames())
                .contains(EnvelopeColumns.EVENT_ID, EnvelopeColumns.EVENT_TIME, EnvelopeColumns.RECORD);
        assertThat(parsed.schema().apply(EnvelopeColumns.EVENT_ID).dataType().typeName()).isEqualTo("string");
        assertThat(parsed.schema().apply(EnvelopeColumns.EVENT_TIME).dataType().typeName()).isEqualTo("timestamp");
    }

    private static Instant instant(Object value)
    {
        return value == null ? null : ((Timestamp) value).toInstant();
    }
}
