package io.sluice.pipeline;

import io.sluice.table.RawRecordColumns;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.LinkedHashMap;
import java.util.Map;

import static io.sluice.pipeline.EnvelopeColumns.CORRUPT;
import static io.sluice.pipeline.EnvelopeColumns.ENVELOPE;
import static io.sluice.pipeline.EnvelopeColumns.EVENT_ID;
import static io.sluice.pipeline.EnvelopeColumns.EVENT_TIME;
import static io.sluice.pipeline.EnvelopeColumns.PAYLOAD_ERROR;
import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.call_function;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.json_array_length;
import static org.apache.spark.sql.functions.json_object_keys;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.ltrim;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.octet_length;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.rtrim;
import static org.apache.spark.sql.functions.when;

/**
 * Parses each record's payload once into its CloudEvents envelope, keeping {@code data} as its JSON text so that
 * only the contract the event names has to type it (see {@link ContractEnforcer}).
 * Adds {@link EnvelopeColumns#EVENT_ID} and {@link EnvelopeColumns#EVENT_TIME} for dedup, the parsed
 * {@link EnvelopeColumns#ENVELOPE} and a {@link EnvelopeColumns#PAYLOAD_ERROR} for payloads that are not a JSON object.
 * Never fails on record content.
 */
public final class EnvelopeParser
{
    static final String UUID_REGEX = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";
    /** RFC 3339 date-time; Spark's own timestamp parsing also accepts dates, spaces and missing offsets. */
    static final String DATE_TIME_REGEX = "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})$";

    private static final StructType ENVELOPE_SCHEMA = new StructType()
            .add(EnvelopeColumns.SPECVERSION, DataTypes.StringType)
            .add(EnvelopeColumns.ID, DataTypes.StringType)
            .add(EnvelopeColumns.SOURCE, DataTypes.StringType)
            .add(EnvelopeColumns.TYPE, DataTypes.StringType)
            .add(EnvelopeColumns.TIME, DataTypes.StringType)
            .add(EnvelopeColumns.DATASCHEMA, DataTypes.StringType)
            .add(EnvelopeColumns.SUBJECT, DataTypes.StringType)
            .add(EnvelopeColumns.DATACONTENTTYPE, DataTypes.StringType)
            // A string-typed field receives the JSON text of an object: data is kept for the contract to parse.
            .add(EnvelopeColumns.DATA, DataTypes.StringType)
            .add(CORRUPT, DataTypes.StringType);
    /** Reads nothing but the syntax: tells a too-deep payload from a malformed one, for failed rows only. */
    private static final StructType SYNTAX_PROBE_SCHEMA = new StructType()
            .add(EnvelopeColumns.SPECVERSION, DataTypes.StringType)
            .add(CORRUPT, DataTypes.StringType);

    /**
     * Escaped backslashes and well-formed surrogate pair escapes, removed (left to right, so each backslash is
     * paired with the escape it starts) before looking for a surrogate escape left alone.
     */
    private static final String BACKSLASH_OR_SURROGATE_PAIR = "\\\\\\\\|\\\\u[dD][89abAB][0-9a-fA-F]{2}\\\\u[dD][c-fC-F][0-9a-fA-F]{2}";
    private static final String SURROGATE_ESCAPE = "\\\\u[dD][89a-fA-F][0-9a-fA-F]{2}";

    /** Whether the payload holds a backslash-u escape; only between the parse and the checks that read it. */
    private static final String ESCAPES = "__escapes";

    private final EnforcementLimits limits;

    public EnvelopeParser(EnforcementLimits limits)
    {
        this.limits = requireNonNull(limits, "limits is null");
    }

    public Dataset<Row> parse(Dataset<Row> raw)
    {
        Column bytes = col(RawRecordColumns.DATA);
        Column text = bytes.cast(DataTypes.StringType);
        Column size = octet_length(bytes);
        Column precheck = when(bytes.isNull().or(size.equalTo(0)), reason(QuarantineReason.MALFORMED_JSON, lit("Invalid payload: empty")))
                .when(size.gt(limits.maxRecordBytes()), reason(QuarantineReason.OVERSIZED,
                        concat(lit("Invalid payload: "), size.cast(DataTypes.StringType), lit(" bytes exceed the limit of " + limits.maxRecordBytes()))))
                .when(not(call_function("is_valid_utf8", text)), reason(QuarantineReason.INVALID_UTF8, lit("Invalid payload: not valid UTF-8")));

        Column envelope = col(ENVELOPE);
        Column trimmed = rtrim(text, StrictJson.WHITESPACE);
        Column syntaxError = when(not(ltrim(text, StrictJson.WHITESPACE).startsWith("{")),
                reason(QuarantineReason.NOT_AN_OBJECT, lit("Invalid payload: not a JSON object")))
                .when(from_json(text, SYNTAX_PROBE_SCHEMA, StrictJson.options(CORRUPT, Integer.MAX_VALUE)).getField(CORRUPT).isNull(),
                        reason(QuarantineReason.TOO_DEEPLY_NESTED, lit("Invalid payload: JSON nested deeper than " + limits.maxNestingDepth() + " levels")))
                .otherwise(reason(QuarantineReason.MALFORMED_JSON, lit("Invalid payload: malformed JSON")));
        // Both the trailing-content proof and the surrogate check need it, in branches of one CASE, where Spark's
        // common-subexpression elimination does not reach: evaluated once, beside the parse.
        Column escapes = col(ESCAPES);
        Column payloadError = coalesce(col(PAYLOAD_ERROR),
                when(envelope.isNull(), reason(QuarantineReason.MALFORMED_JSON, lit("Invalid payload: no JSON value")))
                        .when(envelope.getField(CORRUPT).isNotNull(), syntaxError)
                        // Spark stops reading after the first JSON value: anything after it is rejected here.
                        // endsWith first: trimming with a character set is costly and almost never needed.
                        .when(not(text.endsWith("}").or(trimmed.endsWith("}"))).or(hasTrailingContent(text, envelope.getField(EnvelopeColumns.DATA), escapes)),
                                reason(QuarantineReason.TRAILING_CONTENT, lit("Invalid payload: content after the JSON object")))
                        .when(hasUnpairedSurrogate(text, escapes),
                                reason(QuarantineReason.INVALID_UNICODE, lit("Invalid payload: a string holds an unpaired UTF-16 surrogate escape"))));

        // A payload that is not well-formed JSON has no id or time, even when the reader got them before it failed
        // (Spark keeps the fields it read): nothing read from it is trusted, so it never meets another record in dedup,
        // and a first copy broken after its id cannot make its intact re-send a duplicate.
        Column wellFormed = envelope.getField(CORRUPT).isNull();
        Column id = when(wellFormed, envelope.getField(EnvelopeColumns.ID));
        Column time = when(wellFormed, envelope.getField(EnvelopeColumns.TIME));
        Map<String, Column> parsed = new LinkedHashMap<>();
        parsed.put(ENVELOPE, Barrier.materialized(when(col(PAYLOAD_ERROR).isNull(), from_json(text, ENVELOPE_SCHEMA, StrictJson.options(CORRUPT, limits.maxNestingDepth())))));
        parsed.put(ESCAPES, Barrier.materialized(when(col(PAYLOAD_ERROR).isNull(), text.contains("\\u"))));
        // Each step is its own projection so that the JSON parse is evaluated once and only referenced afterwards.
        return raw
                .withColumn(PAYLOAD_ERROR, precheck)
                .withColumns(parsed)
                .withColumn(PAYLOAD_ERROR, payloadError)
                .withColumn(EVENT_ID, when(id.rlike(UUID_REGEX), id))
                .withColumn(EVENT_TIME, when(time.rlike(DATE_TIME_REGEX), time.try_cast(DataTypes.TimestampType)))
                .drop(ESCAPES);
    }

    /**
     * True when a payload that parsed as an object and ends with '}' has more after that object ({@code {..}{..}},
     * {@code {..}}}). Spark's JSON functions never look past the first value, so two wrapped reads decide: in
     * {@code [payload]} anything but ',' or ']' after the object is a syntax error and ',' adds an element; in
     * {@code {"v":payload}} a ']' is a syntax error. Both only tokenize ({@code json_array_length},
     * {@code json_object_keys}: null when malformed), but they run only when counting '}' cannot prove the payload
     * clean: without a backslash-u007d escape, every '}' in {@code data}'s text (Spark copies it verbatim but
     * compact) is one of the payload's, so a payload with exactly one more '}' than {@code data} has none outside
     * the object, where trailing content ending in '}' would hold one.
     */
    private static Column hasTrailingContent(Column text, Column dataText, Column escapes)
    {
        // Most payloads hold no backslash-u escape at all: knowing that spares the two scans for an escaped '}'.
        Column proven = not(escapes).or(not(text.contains("\\u007d").or(text.contains("\\u007D"))))
                .and(characterCount(text, '}').equalTo(characterCount(coalesce(dataText, lit("")), '}').plus(1)));
        Column alone = coalesce(json_array_length(concat(lit("["), text, lit("]"))).equalTo(1)
                .and(functions.size(json_object_keys(concat(lit("{\"v\":"), text, lit("}")))).equalTo(1)), lit(false));
        return when(proven, lit(false)).otherwise(not(alone));
    }

    /**
     * True when a string holds a backslash-u escape of D800-DFFF that is not half of a high-low pair: Spark
     * (like Java) turns it into '?', other parsers keep, replace or reject it. Raw surrogate bytes are not UTF-8 and
     * fail the UTF-8 check instead. Only payloads holding a backslash-u escape ({@code escapes}) pay for the two
     * regular expressions.
     */
    private static Column hasUnpairedSurrogate(Column text, Column escapes)
    {
        return escapes.and(regexp_replace(text, BACKSLASH_OR_SURROGATE_PAIR, "").rlike(SURROGATE_ESCAPE));
    }

    /**
     * How often {@code character} occurs in {@code text}. Spark's {@code split} hands its pattern to
     * {@link String#split}, which splits on one backslash-escaped non-alphanumeric character with {@code indexOf},
     * not a regular expression: about five times faster on a 500-byte payload than {@link #occurrences}, whose
     * {@code replace} compares the literal at every byte.
     */
    private static Column characterCount(Column text, char character)
    {
        if (Character.isLetterOrDigit(character) || character >= 128) {
            throw new IllegalArgumentException("Invalid character to count: " + character);
        }
        return functions.size(functions.split(text, "\\" + character, -1)).minus(1);
    }

    /** How often {@code literal} occurs in {@code text}: one substring scan, cheaper than a regular expression. */
    static Column occurrences(Column text, String literal)
    {
        return octet_length(text).minus(octet_length(call_function("replace", text, lit(literal), lit("")))).divide(literal.length()).cast(DataTypes.IntegerType);
    }

    private static Column reason(QuarantineReason rule, Column message)
    {
        return Reasons.reason(lit("$"), rule, message);
    }
}
