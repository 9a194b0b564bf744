package io.sluice.pipeline;

import io.sluice.table.QuarantineColumns;
import io.sluice.table.SilverColumns;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.contract.Contracts;
import io.sluice.testing.ExtensionContextResolver;
import io.sluice.testing.SharedSpark;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static io.sluice.pipeline.Events.bytes;
import static io.sluice.pipeline.Events.data;
import static io.sluice.pipeline.Events.dataFirst;
import static io.sluice.pipeline.Events.match;
import static io.sluice.pipeline.Events.point;
import static io.sluice.pipeline.Events.serve;
import static io.sluice.pipeline.Events.utf8;
import static io.sluice.pipeline.Events.with;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A corpus of named bad records mixed with good ones, enforced in one Spark job; each case then checks its own row.
 */
@ExtendWith(ExtensionContextResolver.class)
class EnforcementCorpusTest
{
    static final Instant INGEST_TIME = Instant.parse("2026-06-30T00:00:00Z");
    static final EnforcementLimits LIMITS = new EnforcementLimits(8192, 64);

    record BadCase(String name, byte[] payload, String fieldPath, QuarantineReason rule) {}

    record GoodCase(String name, byte[] payload, String table, Map<String, Object> expected) {}

    static final List<BadCase> BAD = badCases();
    static final List<GoodCase> GOOD = goodCases();

    private static ContractEnforcer enforcer;
    private static long inputCount;
    /** Output rows by sequence number; a sequence number appearing twice fails the accounting test. */
    private static final Map<String, List<Row>> silverBySequence = new HashMap<>();
    private static final Map<String, String> tableBySequence = new HashMap<>();
    private static final Map<String, List<Row>> quarantineBySequence = new HashMap<>();
    private static final Map<String, StructType> silverSchemas = new HashMap<>();
    private static StructType quarantineSchema;

    @BeforeAll
    static void setUp(ExtensionContext context)
    {
        SparkSession spark = SharedSpark.session(context);
        List<byte[]> payloads = new ArrayList<>();
        BAD.forEach(bad -> payloads.add(bad.payload()));
        GOOD.forEach(good -> payloads.add(good.payload()));
        inputCount = payloads.size();

        enforcer = new ContractEnforcer(Contracts.registry(), LIMITS);
        Dataset<Row> routed = enforcer.route(enforcer.parse(Events.raw(spark, payloads)), org.apache.spark.sql.functions.lit(INGEST_TIME)).cache();
        EnforcedBatch batch = enforcer.split(routed);
        batch.silver().forEach((table, rows) -> {
            silverSchemas.put(table, rows.schema());
            for (Row row : rows.collectAsList()) {
                String sequence = row.getAs(SilverColumns.INGEST_SEQUENCE_NUMBER);
                silverBySequence.computeIfAbsent(sequence, ignored -> new ArrayList<>()).add(row);
                tableBySequence.put(sequence, table);
            }
        });
        quarantineSchema = batch.quarantine().schema();
        for (Row row : batch.quarantine().collectAsList()) {
            quarantineBySequence.computeIfAbsent(row.getAs(QuarantineColumns.INGEST_SEQUENCE_NUMBER), ignored -> new ArrayList<>()).add(row);
        }
        routed.unpersist();
    }

    static Stream<Arguments> badRecords()
    {
        return IntStream.range(0, BAD.size()).mapToObj(i -> Arguments.of(BAD.get(i).name(), i));
    }

    static Stream<Arguments> goodRecords()
    {
        return IntStream.range(0, GOOD.size()).mapToObj(i -> Arguments.of(GOOD.get(i).name(), BAD.size() + i));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRecords")
    void badRecordIsQuarantinedWithItsReason(String name, int sequence)
    {
        BadCase bad = BAD.get(sequence);
        String key = Integer.toString(sequence);
        assertThat(silverBySequence).as("silver rows of " + name).doesNotContainKey(key);
        assertThat(quarantineBySequence.get(key)).as("quarantine rows of " + name).hasSize(1);
        Row row = quarantineBySequence.get(key).get(0);

        assertThat((byte[]) row.getAs(QuarantineColumns.RAW_PAYLOAD)).isEqualTo(bad.payload());
        List<Row> reasons = row.getList(row.fieldIndex(QuarantineColumns.REASONS));
        assertThat(reasons).extracting(reason -> reason.getString(0) + " " + reason.getString(1))
                .containsExactly(bad.fieldPath() + " " + bad.rule());
        assertThat(reasons.get(0).getString(2)).isNotBlank();
        assertThat((String) row.getAs(QuarantineColumns.INGEST_STREAM)).isEqualTo("tennis-live");
        assertThat((String) row.getAs(QuarantineColumns.INGEST_PARTITION_KEY)).isEqualTo("pk-" + sequence);
        assertThat((String) row.getAs(QuarantineColumns.INGEST_SHARD_ID)).isEqualTo(sequence % 2 == 0 ? "shardId-000000000000" : null);
        assertThat(((Timestamp) row.getAs(QuarantineColumns.INGEST_TIME)).toInstant()).isEqualTo(INGEST_TIME);
        assertThat(((Date) row.getAs(QuarantineColumns.INGEST_DATE)).toLocalDate()).isEqualTo(LocalDate.parse("2026-06-30"));
        assertThat((Boolean) row.getAs(QuarantineColumns.REPLAYED)).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goodRecords")
    void goodRecordLandsTypedInItsTable(String name, int sequence)
    {
        GoodCase good = GOOD.get(sequence - BAD.size());
        String key = Integer.toString(sequence);
        assertThat(quarantineBySequence.get(key)).as("quarantine rows of " + name).isNull();
        assertThat(silverBySequence.get(key)).as("silver rows of " + name).hasSize(1);
        assertThat(tableBySequence.get(key)).isEqualTo(good.table());
        Row row = silverBySequence.get(key).get(0);
        good.expected().forEach((column, value) -> assertThat(normalize(row.get(row.fieldIndex(column)))).as(column).isEqualTo(value));
        assertThat((String) row.getAs(SilverColumns.INGEST_SEQUENCE_NUMBER)).isEqualTo(key);
        assertThat(((Timestamp) row.getAs(SilverColumns.INGEST_TIME)).toInstant()).isEqualTo(INGEST_TIME);
        assertThat(((Timestamp) row.getAs(SilverColumns.INGEST_ARRIVAL_TIME)).toInstant()).isEqualTo(Events.ARRIVAL);
    }

    @Test
    void everyInputRecordIsInExactlyOneOutput()
    {
        long silver = silverBySequence.values().stream().mapToLong(List::size).sum();
        long quarantined = quarantineBySequence.values().stream().mapToLong(List::size).sum();

        assertThat(silver + quarantined).isEqualTo(inputCount);
        for (int i = 0; i < inputCount; i++) {
            String key = Integer.toString(i);
            assertThat(silverBySequence.containsKey(key) ^ quarantineBySequence.containsKey(key)).as("record " + key).isTrue();
        }
        assertThat(BAD).hasSizeGreaterThanOrEqualTo(30);
        assertThat(BAD.stream().map(BadCase::name).distinct().count()).isEqualTo(BAD.size());
    }

    @Test
    void outputsHaveTheDeclaredSchemas()
    {
        silverSchemas.forEach((table, schema) -> assertThat(withoutNullability(schema)).as(table).isEqualTo(withoutNullability(enforcer.silverSchema(table))));
        assertThat(silverSchemas).containsOnlyKeys("tennis_match_status", "tennis_points", "tennis_serves");
        assertThat(withoutNullability(quarantineSchema)).isEqualTo(withoutNullability(QuarantineColumns.SCHEMA));
        assertThat(enforcer.silverSchema("tennis_serves").fieldNames()).containsExactly("event_id", "event_type", "event_source", "event_time",
                "event_subject", "event_dataschema", "contract_version", "match_id", "player_id", "set_number", "game_number", "serve_number",
                "speed_kmh", "spin_rpm", "outcome", "measured_at", "court_side", "ingest_stream", "ingest_shard_id", "ingest_sequence_number",
                "ingest_partition_key", "ingest_arrival_time", "ingest_time", "event_date");
    }

    @Test
    void reasonMessagesNameFieldAndValue()
    {
        assertThat(messageOf("enum violation")).isEqualTo("Invalid data.outcome: 'out' is not one of [ace, in, fault, double_fault, let]");
        assertThat(messageOf("below minimum")).isEqualTo("Invalid data.speed_kmh: 12.5 is below minimum 40");
        assertThat(messageOf("missing required data field")).isEqualTo("Missing required field: data.player_id");
        assertThat(messageOf("wrong type: string for number")).isEqualTo("Invalid data.speed_kmh: expected number");
        assertThat(messageOf("additional property")).isEqualTo("Invalid data: unknown property 'radar_model'");
        assertThat(messageOf("array element enum violation")).isEqualTo("Invalid data.shots[3]: 'tweener' is not one of [serve, forehand, backhand, volley, smash, lob, drop]");
        assertThat(messageOf("unknown contract version")).isEqualTo("Invalid dataschema: no such version of the contract: 'urn:sluice:contract:tennis.serve:9'");
        assertThat(messageOf("oversized")).matches("Invalid payload: \\d+ bytes exceed the limit of 8192");
    }

    @Test
    void quarantineKeepsWhatCouldBeParsed()
    {
        Row unknownVersion = quarantineRowOf("unknown contract version");
        assertThat((String) unknownVersion.getAs(QuarantineColumns.CONTRACT_DATASET)).isEqualTo("tennis.serve");
        assertThat((Integer) unknownVersion.getAs(QuarantineColumns.CONTRACT_VERSION)).isEqualTo(9);
        assertThat((String) unknownVersion.getAs(QuarantineColumns.EVENT_TYPE)).isEqualTo("io.sluice.tennis.serve.measured");
        assertThat((String) unknownVersion.getAs(QuarantineColumns.EVENT_ID)).isNotNull();

        Row malformed = quarantineRowOf("malformed JSON");
        assertThat((String) malformed.getAs(QuarantineColumns.EVENT_ID)).isNull();
        assertThat((String) malformed.getAs(QuarantineColumns.CONTRACT_DATASET)).isNull();
    }

    private static String messageOf(String caseName)
    {
        return quarantineRowOf(caseName).<Row>getList(quarantineRowOf(caseName).fieldIndex(QuarantineColumns.REASONS)).get(0).getString(2);
    }

    private static Row quarantineRowOf(String caseName)
    {
        for (int i = 0; i < BAD.size(); i++) {
            if (BAD.get(i).name().equals(caseName)) {
                return quarantineBySequence.get(Integer.toString(i)).get(0);
            }
        }
        throw new IllegalArgumentException("No such case: " + caseName);
    }

    private static StructType withoutNullability(StructType schema)
    {
        return new StructType(java.util.Arrays.stream(schema.fields())
                .map(field -> new StructField(field.name(), field.dataType().asNullable(), true, org.apache.spark.sql.types.Metadata.empty()))
                .toArray(StructField[]::new));
    }

    /** Spark rows hold java.sql types and Scala sequences: compare as java.time and java.util values. */
    private static Object normalize(Object value)
    {
        if (value instanceof Timestamp timestamp) {
            return timestamp.toInstant();
        }
        if (value instanceof Date date) {
            return date.toLocalDate();
        }
        if (value instanceof scala.collection.Seq<?> seq) {
            return scala.jdk.javaapi.CollectionConverters.asJava(seq).stream().map(EnforcementCorpusTest::normalize).toList();
        }
        if (value instanceof Row row) {
            List<Object> fields = new ArrayList<>();
            for (int i = 0; i < row.length(); i++) {
                fields.add(normalize(row.get(i)));
            }
            return fields;
        }
        return value;
    }

    private static BadCase bad(String name, ObjectNode event, String fieldPath, QuarantineReason rule)
    {
        return new BadCase(name, bytes(event), fieldPath, rule);
    }

    private static BadCase bad(String name, byte[] payload, String fieldPath, QuarantineReason rule)
    {
        return new BadCase(name, payload, fieldPath, rule);
    }

    private static List<BadCase> badCases()
    {
        Function<String, byte[]> text = Events::utf8;
        String valid = new String(bytes(serve(1)), java.nio.charset.StandardCharsets.UTF_8);
        byte[] invalidUtf8 = bytes(with(serve(1), e -> data(e).put("player_id", "p-XX")));
        int marker = new String(invalidUtf8, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf("p-XX") + 2;
        invalidUtf8[marker] = (byte) 0xC3;
        invalidUtf8[marker + 1] = (byte) 0x28;
        // U+D800 encoded as if it were a character (CESU-8): not UTF-8, whatever a lenient decoder makes of it.
        byte[] surrogateBytes = bytes(with(serve(1), e -> data(e).put("player_id", "p-XXX")));
        int surrogate = new String(surrogateBytes, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf("p-XXX") + 2;
        surrogateBytes[surrogate] = (byte) 0xED;
        surrogateBytes[surrogate + 1] = (byte) 0xA0;
        surrogateBytes[surrogate + 2] = (byte) 0x80;

        return List.of(
                // The payload as a whole
                bad("malformed JSON", text.apply("{\"specversion\": \"1.0\", \"id\": }"), "$", QuarantineReason.MALFORMED_JSON),
                bad("truncated JSON", text.apply(valid.substring(0, valid.length() - 10)), "$", QuarantineReason.MALFORMED_JSON),
                bad("invalid UTF-8 bytes", invalidUtf8, "$", QuarantineReason.INVALID_UTF8),
                bad("empty payload", new byte[0], "$", QuarantineReason.MALFORMED_JSON),
                bad("whitespace-only payload", text.apply("  \n "), "$", QuarantineReason.MALFORMED_JSON),
                bad("JSON array instead of object", text.apply("[" + valid + "]"), "$", QuarantineReason.NOT_AN_OBJECT),
                bad("JSON string instead of object", text.apply("\"hello\""), "$", QuarantineReason.NOT_AN_OBJECT),
                bad("oversized", with(serve(1), e -> data(e).put("player_id", "p".repeat(9000))), "$", QuarantineReason.OVERSIZED),
                bad("nesting too deep", text.apply(valid.replace("\"subject\"", "\"ext\":" + "[".repeat(70) + "]".repeat(70) + ",\"subject\"")),
                        "$", QuarantineReason.TOO_DEEPLY_NESTED),
                bad("single-quoted JSON", text.apply(valid.replace("\"specversion\":\"1.0\"", "'specversion':'1.0'")), "$", QuarantineReason.MALFORMED_JSON),
                bad("NaN number", text.apply(valid.replace("212.4", "NaN")), "$", QuarantineReason.MALFORMED_JSON),
                bad("leading zero number", text.apply(valid.replace("\"set_number\":2", "\"set_number\":02")), "$", QuarantineReason.MALFORMED_JSON),
                bad("trailing content after the object", text.apply(valid + " x"), "$", QuarantineReason.TRAILING_CONTENT),
                // I-JSON (RFC 7493): payloads another conforming parser could read differently
                bad("second object after the object", text.apply(valid + "\n" + valid), "$", QuarantineReason.TRAILING_CONTENT),
                bad("extra closing brace", text.apply(valid + "}"), "$", QuarantineReason.TRAILING_CONTENT),
                bad("closing bracket after the object", text.apply(valid + "]}"), "$", QuarantineReason.TRAILING_CONTENT),
                bad("member after the object", text.apply(valid + ",\"x\":{}}"), "$", QuarantineReason.TRAILING_CONTENT),
                bad("duplicate envelope attribute", text.apply(valid.replace("\"source\":", "\"source\":\"urn:sluice:producer:other\",\"source\":")),
                        "$", QuarantineReason.DUPLICATE_MEMBER),
                bad("duplicate data member", text.apply(valid.replace("\"player_id\":", "\"player_id\":\"p-sinner\",\"player_id\":")),
                        "$", QuarantineReason.DUPLICATE_MEMBER),
                bad("duplicate member in an undeclared nested object", text.apply(new String(bytes(with(match(), e -> data(e).putObject("extra").put("k", 1))),
                        java.nio.charset.StandardCharsets.UTF_8).replace("\"k\":1", "\"k\":1,\"k\":2")), "$", QuarantineReason.DUPLICATE_MEMBER),
                bad("duplicate member spelled with an escape", text.apply(valid.replace("\"subject\":", "\"\\u0073ubject\":\"M0001\",\"subject\":")),
                        "$", QuarantineReason.DUPLICATE_MEMBER),
                bad("duplicate member with a space before the colon", text.apply(valid.replace("\"speed_kmh\":", "\"speed_kmh\" : 100.0, \"speed_kmh\" :")),
                        "$", QuarantineReason.DUPLICATE_MEMBER),
                bad("duplicate member in data before its dataschema", text.apply(new String(bytes(dataFirst(serve(1))), java.nio.charset.StandardCharsets.UTF_8)
                        .replace("\"player_id\":", "\"player_id\":\"p-sinner\",\"player_id\":")), "$", QuarantineReason.DUPLICATE_MEMBER),
                bad("duplicate member in the data of an unknown contract", text.apply(new String(bytes(with(serve(1),
                        e -> e.put("dataschema", "urn:sluice:contract:tennis.racket:1"))), java.nio.charset.StandardCharsets.UTF_8)
                        .replace("\"player_id\":", "\"player_id\":\"p-sinner\",\"player_id\":")), "$", QuarantineReason.DUPLICATE_MEMBER),
                bad("unpaired surrogate escape in an extension attribute", text.apply(valid.replace("\"subject\":", "\"traceparent\":[\"00-\\uD800\"],\"subject\":")), "$",
                        QuarantineReason.INVALID_UNICODE),
                bad("unpaired high surrogate escape", text.apply(valid.replace("p-alcaraz", "p-\\uD800x")), "$", QuarantineReason.INVALID_UNICODE),
                bad("unpaired low surrogate escape in a name", text.apply(valid.replace("\"subject\":", "\"\\uDC00\":1,\"subject\":")), "$",
                        QuarantineReason.INVALID_UNICODE),
                bad("surrogate escapes in the wrong order", text.apply(valid.replace("p-alcaraz", "p-\\uDE00\\uD83D")), "$", QuarantineReason.INVALID_UNICODE),
                bad("high surrogate escape after an escaped backslash", text.apply(valid.replace("p-alcaraz", "p-\\\\\\uD83D")), "$", QuarantineReason.INVALID_UNICODE),
                bad("raw surrogate bytes", surrogateBytes, "$", QuarantineReason.INVALID_UTF8),
                // Envelope
                bad("missing id", with(serve(1), e -> e.remove("id")), "id", QuarantineReason.MISSING_REQUIRED_FIELD),
                bad("id not a UUID", with(serve(1), e -> e.put("id", "serve-42")), "id", QuarantineReason.INVALID_ENVELOPE_FIELD),
                bad("missing time", with(serve(1), e -> e.remove("time")), "time", QuarantineReason.MISSING_REQUIRED_FIELD),
                bad("bad time format", with(serve(1), e -> e.put("time", "2026-06-29 13:05:12")), "time", QuarantineReason.INVALID_ENVELOPE_FIELD),
                bad("time without offset", with(serve(1), e -> e.put("time", "2026-06-29T13:05:12")), "time", QuarantineReason.INVALID_ENVELOPE_FIELD),
                bad("missing dataschema", with(serve(1), e -> e.remove("dataschema")), "dataschema", QuarantineReason.MISSING_REQUIRED_FIELD),
                bad("missing source", with(serve(1), e -> e.remove("source")), "source", QuarantineReason.MISSING_REQUIRED_FIELD),
                bad("empty source", with(serve(1), e -> e.put("source", "")), "source", QuarantineReason.INVALID_ENVELOPE_FIELD),
                bad("source with a space", with(serve(1), e -> e.put("source", "urn:sluice:producer:radar gun")), "source", QuarantineReason.INVALID_ENVELOPE_FIELD),
                bad("source with a control character", with(serve(1), e -> e.put("source", "urn:sluice:producer:radar\u0007")), "source",
                        QuarantineReason.INVALID_ENVELOPE_FIELD),
                bad("dataschema with a trailing space", with(serve(1), e -> e.put("dataschema", "urn:sluice:contract:tennis.serve:1 ")), "dataschema",
                        QuarantineReason.INVALID_ENVELOPE_FIELD),
                bad("type with a control character", with(serve(1), e -> e.put("type", "io.sluice.tennis.serve.measured\n")), "type",
                        QuarantineReason.INVALID_ENVELOPE_FIELD),
                bad("empty subject", with(serve(1), e -> e.put("subject", "")), "subject", QuarantineReason.INVALID_ENVELOPE_FIELD),
                bad("subject with a control character", with(serve(1), e -> e.put("subject", "M0042\t")), "subject", QuarantineReason.INVALID_ENVELOPE_FIELD),
                bad("id with a control character", with(serve(1), e -> e.put("id", e.get("id").asText() + "\u0000")), "id", QuarantineReason.INVALID_ENVELOPE_FIELD),
                bad("source not a string", with(serve(1), e -> e.put("source", 5)), "source", QuarantineReason.INVALID_ENVELOPE_FIELD),
                bad("subject an object", with(serve(1), e -> e.putObject("subject").put("match", "M0042")), "subject", QuarantineReason.INVALID_ENVELOPE_FIELD),
                bad("id with a trailing newline", with(serve(1), e -> e.put("id", e.get("id").asText() + "\n")), "id", QuarantineReason.INVALID_ENVELOPE_FIELD),
                bad("time with a trailing newline", with(serve(1), e -> e.put("time", "2026-06-29T13:05:12Z\n")), "time", QuarantineReason.INVALID_ENVELOPE_FIELD),
                bad("specversion wrong", with(serve(1), e -> e.put("specversion", "0.3")), "specversion", QuarantineReason.INVALID_ENVELOPE_FIELD),
                bad("datacontenttype not JSON", with(serve(1), e -> e.put("datacontenttype", "text/plain")), "datacontenttype",
                        QuarantineReason.INVALID_ENVELOPE_FIELD),
                bad("unknown contract", with(serve(1), e -> e.put("dataschema", "urn:sluice:contract:tennis.racket:1")), "dataschema",
                        QuarantineReason.UNKNOWN_CONTRACT),
                bad("dataschema not a contract URN", with(serve(1), e -> e.put("dataschema", "https://example.com/serve.json")), "dataschema",
                        QuarantineReason.UNKNOWN_CONTRACT),
                bad("unknown contract version", with(serve(1), e -> e.put("dataschema", "urn:sluice:contract:tennis.serve:9")), "dataschema",
                        QuarantineReason.UNKNOWN_CONTRACT_VERSION),
                bad("type not in contract", with(serve(1), e -> e.put("type", "io.sluice.tennis.point.scored")), "type",
                        QuarantineReason.TYPE_NOT_IN_CONTRACT),
                bad("missing data", with(serve(1), e -> e.remove("data")), "data", QuarantineReason.MISSING_REQUIRED_FIELD),
                bad("data not an object", with(serve(1), e -> e.put("data", "hello")), "data", QuarantineReason.WRONG_TYPE),
                // Data
                bad("enum violation in data before its dataschema", dataFirst(with(serve(1), e -> data(e).put("outcome", "out"))), "data.outcome",
                        QuarantineReason.ENUM),
                bad("missing required data field", with(serve(1), e -> data(e).remove("player_id")), "data.player_id", QuarantineReason.MISSING_REQUIRED_FIELD),
                bad("null required data field", with(serve(1), e -> data(e).putNull("outcome")), "data.outcome", QuarantineReason.WRONG_TYPE),
                bad("wrong type: string for number", with(serve(1), e -> data(e).put("speed_kmh", "fast")), "data.speed_kmh", QuarantineReason.WRONG_TYPE),
                bad("wrong type: number for string", with(serve(1), e -> data(e).put("player_id", 12)), "data.player_id", QuarantineReason.WRONG_TYPE),
                bad("wrong type: object for string", with(serve(1), e -> data(e).putObject("player_id").put("a", 1)), "data.player_id", QuarantineReason.WRONG_TYPE),
                bad("wrong type: boolean for string enum", with(serve(1), e -> data(e).put("outcome", true)), "data.outcome", QuarantineReason.WRONG_TYPE),
                // A value is never converted to the declared type: another reader would not see the same event.
                bad("data as a string holding an object's text", with(serve(1), e -> e.put("data", data(e).toString())), "data", QuarantineReason.WRONG_TYPE),
                bad("nested object as a string holding its text", with(point(), e -> data(e).put("score", data(e).get("score").toString())), "data.score",
                        QuarantineReason.WRONG_TYPE),
                bad("number in an array of strings", with(point(), e -> ((com.fasterxml.jackson.databind.node.ArrayNode) data(e).get("shots")).add(7)),
                        "data.shots[3]", QuarantineReason.WRONG_TYPE),
                bad("whole number written as a fraction for integer", with(serve(1), e -> data(e).put("set_number", 2.0)), "data.set_number",
                        QuarantineReason.WRONG_TYPE),
                bad("wrong type: numeric string for integer", with(serve(1), e -> data(e).put("set_number", "2")), "data.set_number", QuarantineReason.WRONG_TYPE),
                bad("wrong type: fraction for integer", with(serve(1), e -> data(e).put("set_number", 1.5)), "data.set_number", QuarantineReason.WRONG_TYPE),
                bad("wrong type: integer beyond 64 bits", with(point(), e -> data(e).put("point_number", new java.math.BigInteger("99999999999999999999"))),
                        "data.point_number", QuarantineReason.WRONG_TYPE),
                bad("enum violation", with(serve(1), e -> data(e).put("outcome", "out")), "data.outcome", QuarantineReason.ENUM),
                bad("enum violation of a v2 field", with(serve(2), e -> data(e).put("court_side", "middle")), "data.court_side", QuarantineReason.ENUM),
                bad("below minimum", with(serve(1), e -> data(e).put("speed_kmh", 12.5)), "data.speed_kmh", QuarantineReason.MINIMUM),
                bad("above maximum", with(serve(1), e -> data(e).put("set_number", 6)), "data.set_number", QuarantineReason.MAXIMUM),
                bad("negative rally length", with(point(), e -> data(e).put("rally_length", -1)), "data.rally_length", QuarantineReason.MINIMUM),
                bad("string too short", with(serve(1), e -> data(e).put("player_id", "")), "data.player_id", QuarantineReason.MIN_LENGTH),
                bad("string too long", with(serve(1), e -> data(e).put("player_id", "p".repeat(65))), "data.player_id", QuarantineReason.MAX_LENGTH),
                bad("optional string too long", with(match(), e -> data(e).put("court", "c".repeat(51))), "data.court", QuarantineReason.MAX_LENGTH),
                bad("pattern mismatch", with(serve(1), e -> data(e).put("match_id", "X0042")), "data.match_id", QuarantineReason.PATTERN),
                bad("date-time format violation", with(serve(1), e -> data(e).put("measured_at", "2026-06-29")), "data.measured_at", QuarantineReason.FORMAT),
                bad("date format violation", with(match(), e -> data(e).put("scheduled_start", "2026-02-30")), "data.scheduled_start", QuarantineReason.FORMAT),
                bad("additional property", with(serve(1), e -> data(e).put("radar_model", "X1")), "data.radar_model", QuarantineReason.ADDITIONAL_PROPERTY),
                bad("v2 field sent as v1", with(serve(1), e -> data(e).put("court_side", "ad")), "data.court_side", QuarantineReason.ADDITIONAL_PROPERTY),
                // Layouts and neighbours that once defeated counting shortcuts: a space before a colon, an extension attribute.
                bad("additional property with spaces before colons", text.apply(new String(bytes(with(serve(1), e -> data(e).put("radar_model", "X1"))),
                        java.nio.charset.StandardCharsets.UTF_8).replace("\":", "\" :")), "data.radar_model", QuarantineReason.ADDITIONAL_PROPERTY),
                bad("nested additional property beside an extension attribute", with(point(), e -> {
                    e.put("traceparent", "00-abc-def-01");
                    ((ObjectNode) data(e).get("score")).put("games", 3);
                }), "data.score.games", QuarantineReason.ADDITIONAL_PROPERTY),
                bad("null value beside an extension attribute", with(serve(1), e -> {
                    e.put("traceparent", "00-abc-def-01");
                    data(e).putNull("player_id");
                }), "data.player_id", QuarantineReason.WRONG_TYPE),
                bad("nested object missing field", with(point(), e -> ((ObjectNode) data(e).get("score")).remove("receiver")), "data.score.receiver",
                        QuarantineReason.MISSING_REQUIRED_FIELD),
                bad("nested enum violation", with(point(), e -> ((ObjectNode) data(e).get("score")).put("server", "50")), "data.score.server",
                        QuarantineReason.ENUM),
                bad("nested additional property", with(point(), e -> ((ObjectNode) data(e).get("score")).put("games", 3)), "data.score.games",
                        QuarantineReason.ADDITIONAL_PROPERTY),
                bad("array instead of nested object", with(point(), e -> data(e).putArray("score").add(15).add(30)), "data.score", QuarantineReason.WRONG_TYPE),
                bad("array too short", with(match(), e -> data(e).putArray("players").add("p-alcaraz")), "data.players", QuarantineReason.MIN_ITEMS),
                bad("array too long", with(match(), e -> data(e).putArray("players").add("a").add("b").add("c").add("d").add("e")), "data.players",
                        QuarantineReason.MAX_ITEMS),
                bad("array element enum violation", with(point(), e -> ((com.fasterxml.jackson.databind.node.ArrayNode) data(e).get("shots")).add("tweener")),
                        "data.shots[3]", QuarantineReason.ENUM),
                bad("null array element", with(point(), e -> ((com.fasterxml.jackson.databind.node.ArrayNode) data(e).get("shots")).addNull()),
                        "data.shots[3]", QuarantineReason.WRONG_TYPE),
                bad("object instead of array", with(match(), e -> data(e).putObject("players").put("a", 1)), "data.players", QuarantineReason.WRONG_TYPE));
    }

    private static List<GoodCase> goodCases()
    {
        Map<String, Object> serveV1 = new HashMap<>();
        serveV1.put("event_type", "io.sluice.tennis.serve.measured");
        serveV1.put("event_source", "urn:sluice:producer:radar-gun");
        serveV1.put("event_time", Instant.parse("2026-06-29T13:05:12.345Z"));
        serveV1.put("event_subject", "M0042");
        serveV1.put("event_dataschema", "urn:sluice:contract:tennis.serve:1");
        serveV1.put("contract_version", 1);
        serveV1.put("match_id", "M0042");
        serveV1.put("player_id", "p-alcaraz");
        serveV1.put("set_number", 2);
        serveV1.put("game_number", 7);
        serveV1.put("serve_number", 1);
        serveV1.put("speed_kmh", 212.4);
        serveV1.put("spin_rpm", 2650);
        serveV1.put("outcome", "ace");
        serveV1.put("measured_at", Instant.parse("2026-06-29T13:05:12.101Z"));
        serveV1.put("court_side", null);
        serveV1.put("event_date", LocalDate.parse("2026-06-29"));
        serveV1.put("ingest_stream", "tennis-live");

        Map<String, Object> serveV2 = new HashMap<>(serveV1);
        serveV2.put("event_dataschema", "urn:sluice:contract:tennis.serve:2");
        serveV2.put("contract_version", 2);
        serveV2.put("court_side", "deuce");

        Map<String, Object> serveMinimal = new HashMap<>(serveV1);
        serveMinimal.put("spin_rpm", null);
        serveMinimal.put("event_subject", null);
        // 23:30 at -02:00 is the next day in UTC: event_date is a UTC date.
        serveMinimal.put("event_time", Instant.parse("2026-06-30T01:30:00Z"));
        serveMinimal.put("event_date", LocalDate.parse("2026-06-30"));

        Map<String, Object> pointExpected = new HashMap<>();
        pointExpected.put("point_number", 3L);
        pointExpected.put("score", List.of("15", "30"));
        pointExpected.put("shots", List.of("serve", "backhand", "forehand"));
        pointExpected.put("rally_length", 9);
        pointExpected.put("ended_by", "winner");
        pointExpected.put("contract_version", 1);

        Map<String, Object> matchExpected = new HashMap<>();
        matchExpected.put("status", "in_progress");
        matchExpected.put("players", List.of("p-alcaraz", "p-sinner"));
        matchExpected.put("court", null);
        matchExpected.put("scheduled_start", null);

        Map<String, Object> matchFull = new HashMap<>(matchExpected);
        matchFull.put("players", List.of("a", "b", "c", "d"));
        matchFull.put("scheduled_start", LocalDate.parse("2026-07-01"));
        matchFull.put("court", "Court 1");
        matchFull.put("tournament", "");

        return List.of(
                new GoodCase("serve v1", bytes(serve(1)), "tennis_serves", serveV1),
                new GoodCase("serve v2 lands in the same table", bytes(serve(2)), "tennis_serves", serveV2),
                new GoodCase("serve v1 without optionals, offset time", bytes(with(serve(1), e -> {
                    data(e).remove("spin_rpm");
                    e.remove("subject");
                    e.remove("datacontenttype");
                    e.put("time", "2026-06-29T23:30:00-02:00");
                })), "tennis_serves", serveMinimal),
                new GoodCase("serve v1 pretty-printed with unicode", utf8(with(serve(1), e -> data(e).put("player_id", "p-alcaraz")).toPrettyString()
                        .replace("p-alcaraz", "p-garfia\u00f1")), "tennis_serves", Map.of("player_id", "p-garfia\u00f1")),
                // Escapes read the same by every parser: a surrogate pair, an escaped backslash before a 'u', an escaped name.
                new GoodCase("serve v1 with a surrogate pair escape and an escaped backslash", utf8(new String(bytes(serve(1)), java.nio.charset.StandardCharsets.UTF_8)
                        .replace("p-alcaraz", "p-\\\\uD800\\uD83D\\uDE00").replace("\"subject\":", "\"\\u0073ubject\":")), "tennis_serves",
                        Map.of("player_id", "p-\\uD800\uD83D\uDE00", "event_subject", "M0042")),
                // Whitespace anywhere JSON allows it, a space before a colon included, reads the same.
                new GoodCase("serve v1 with spaces around colons", utf8(new String(bytes(serve(1)), java.nio.charset.StandardCharsets.UTF_8).replace("\":", "\" : ")),
                        "tennis_serves", Map.of("player_id", "p-alcaraz")),
                new GoodCase("serve v1 with trailing whitespace", utf8(new String(bytes(serve(1)), java.nio.charset.StandardCharsets.UTF_8) + " \r\n\t "),
                        "tennis_serves", Map.of("player_id", "p-alcaraz")),
                new GoodCase("point", bytes(point()), "tennis_points", pointExpected),
                new GoodCase("point with data before its dataschema", bytes(dataFirst(point())), "tennis_points", pointExpected),
                // '":' inside a value is part of the value.
                new GoodCase("point with a key marker inside a value", bytes(with(point(), e -> data(e).put("winner_id", "p\":x"))), "tennis_points",
                        Map.of("winner_id", "p\":x", "score", List.of("15", "30"))),
                new GoodCase("point with extension attribute", bytes(with(point(), e -> e.put("traceparent", "00-abc-def-01"))), "tennis_points",
                        Map.of("winner_id", "p-sinner")),
                new GoodCase("match minimal", bytes(match()), "tennis_match_status", matchExpected),
                new GoodCase("match with all optionals", bytes(with(match(), e -> {
                    data(e).putArray("players").add("a").add("b").add("c").add("d");
                    data(e).put("scheduled_start", "2026-07-01");
                    data(e).put("court", "Court 1");
                    data(e).put("tournament", "");
                    data(e).put("reason", "Rain");
                })), "tennis_match_status", matchFull));
    }
}
