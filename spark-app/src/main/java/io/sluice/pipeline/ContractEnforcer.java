package io.sluice.pipeline;

import io.sluice.table.QuarantineColumns;
import io.sluice.table.RawRecordColumns;

import io.sluice.table.SilverColumns;
import io.sluice.table.SilverSchema;

import io.sluice.contract.Contract;
import io.sluice.contract.ContractException;
import io.sluice.contract.ContractRegistry;
import io.sluice.contract.SparkSchemaConverter;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.sluice.pipeline.EnvelopeColumns.ENVELOPE;
import static io.sluice.pipeline.EnvelopeColumns.PAYLOAD_ERROR;
import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.call_function;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.regexp_extract;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.when;

/**
 * Checks parsed events ({@link EnvelopeParser} output, possibly deduplicated) against the contract their
 * {@code dataschema} names and splits them into typed silver rows per table and quarantine rows.
 * A pure function of its input DataFrame: the same code serves the stream (per micro-batch) and batch backfills.
 *
 * <p>Cost per record: the envelope was parsed once by {@link EnvelopeParser}; here only the routed contract's
 * expressions run (CASE on the contract index), which read {@code data} with {@code from_json} and
 * {@code json_object_keys} once per object level. No UDFs.
 */
public final class ContractEnforcer
{
    static final String CONTRACT_INDEX = "__contract";
    static final String REASONS = "__reasons";
    private static final String DUPLICATE_MEMBER = "__duplicate_member";
    private static final String INVALID = "__invalid";
    private static final String DATA_NAME_MARKERS = "__data_name_markers";
    /** The routed rows' ingest time column; a micro-batch may set it after persisting them (see MicroBatchProcessor). */
    public static final String INGEST_TIME = "__ingest_time";
    static final String ENVELOPE_PREFIX = "__envelope_";
    static final String DATA_PREFIX = "__data_";

    private static final long MICROS_PER_DAY = 86_400_000_000L;
    /** Characters a URI-reference (RFC 3986) never holds unencoded and that change how it reads: controls and spaces. */
    private static final String NOT_IN_URI_REFERENCE = "[\\p{Cc}\\p{Z}]";
    private static final String CONTROL_CHARACTER = "\\p{Cc}";

    private final ContractRegistry registry;
    private final List<Contract> contracts;
    private final List<ContractValidator.Compiled> compiled;

    public ContractEnforcer(ContractRegistry registry)
    {
        this(registry, EnforcementLimits.defaults());
    }

    public ContractEnforcer(ContractRegistry registry, EnforcementLimits limits)
    {
        this.registry = requireNonNull(registry, "registry is null");
        requireNonNull(limits, "limits is null");
        this.contracts = registry.contracts();
        List<ContractValidator.Compiled> validators = new ArrayList<>();
        for (int index = 0; index < contracts.size(); index++) {
            Contract contract = contracts.get(index);
            for (String property : contract.schema().properties().keySet()) {
                if (SilverColumns.RESERVED.contains(property)) {
                    throw ContractException.unusable(contract.origin(), "property '%s' collides with a silver column".formatted(property));
                }
            }
            Column data = col(ENVELOPE).getField(EnvelopeColumns.DATA);
            validators.add(ContractValidator.compile(contract.schema(), when(col(CONTRACT_INDEX).equalTo(index), data), data, col(DATA_NAME_MARKERS),
                    "__c" + index, limits.maxNestingDepth()));
        }
        this.compiled = List.copyOf(validators);
    }

    public Set<String> tables()
    {
        return registry.contractsByTable().keySet();
    }

    /** The full silver schema of a table: envelope columns, the latest contract version's data columns, ingest columns. */
    public StructType silverSchema(String table)
    {
        return SilverSchema.of(latest(table));
    }

    public EnforcedBatch enforce(Dataset<Row> enveloped)
    {
        return split(route(enveloped, functions.current_timestamp()));
    }

    /** Like {@link #enforce(Dataset)} with a fixed {@code ingest_time}, so output is reproducible. */
    public EnforcedBatch enforce(Dataset<Row> enveloped, Instant ingestTime)
    {
        return split(route(enveloped, lit(requireNonNull(ingestTime, "ingestTime is null"))));
    }

    /**
     * All rows of {@code enveloped} with their contract and quarantine reasons resolved. Persist this in a
     * micro-batch before {@link #split} when writing several outputs, so parsing is not recomputed per output.
     */
    public Dataset<Row> route(Dataset<Row> enveloped, Column ingestTime)
    {
        Column envelope = col(ENVELOPE);
        Column dataschema = envelope.getField(EnvelopeColumns.DATASCHEMA);
        Column contractIndex = lit(null).cast(DataTypes.IntegerType);
        for (int index = contracts.size() - 1; index >= 0; index--) {
            contractIndex = when(dataschema.equalTo(contracts.get(index).dataschema()), index).otherwise(contractIndex);
        }
        Dataset<Row> routed = enveloped
                .withColumn(INGEST_TIME, ingestTime.cast(DataTypes.TimestampType))
                .withColumn(CONTRACT_INDEX, contractIndex)
                // Read by every contract's key lists and by the duplicate-member check: counted once, here.
                .withColumn(DATA_NAME_MARKERS, Barrier.materialized(dataNameMarkers()));
        // One projection per JSON depth for all contracts: each projection copies the row, so keep them few.
        int depths = compiled.stream().mapToInt(contract -> contract.stages().size()).max().orElse(0);
        for (int depth = 0; depth < depths; depth++) {
            Map<String, Column> layer = new LinkedHashMap<>();
            for (ContractValidator.Compiled contract : compiled) {
                if (depth < contract.stages().size()) {
                    layer.putAll(contract.stages().get(depth));
                }
            }
            routed = routed.withColumns(layer);
        }

        // Each verdict step is a projection of its own (barriers keep the optimizer from inlining it into its
        // consumer): the duplicate-member check, then whether the record is invalid, then its reasons.
        routed = routed.withColumn(DUPLICATE_MEMBER, Barrier.materialized(when(col(PAYLOAD_ERROR).isNull(), hasDuplicateMember())));
        Verdict verdict = verdict();
        routed = routed.withColumn(INVALID, Barrier.materialized(verdict.violation()));

        // Keep only what the outputs read, so that persisting the routed rows in a micro-batch stays cheap.
        List<Column> columns = new ArrayList<>();
        for (String raw : RawRecordColumns.SCHEMA.fieldNames()) {
            columns.add(col(raw));
        }
        columns.add(col(EnvelopeColumns.EVENT_ID));
        columns.add(col(EnvelopeColumns.EVENT_TIME));
        // Columns an earlier stage added (the dedup label) pass through, so one routing serves several splits.
        java.util.Set<String> parsed = new java.util.HashSet<>(List.of(RawRecordColumns.SCHEMA.fieldNames()));
        parsed.addAll(List.of(EnvelopeColumns.EVENT_ID, EnvelopeColumns.EVENT_TIME, EnvelopeColumns.ENVELOPE, EnvelopeColumns.PAYLOAD_ERROR));
        for (String column : enveloped.columns()) {
            if (!parsed.contains(column)) {
                columns.add(col(column));
            }
        }
        for (String field : List.of(EnvelopeColumns.ID, EnvelopeColumns.TYPE, EnvelopeColumns.SOURCE, EnvelopeColumns.SUBJECT, EnvelopeColumns.DATASCHEMA)) {
            columns.add(envelope.getField(field).as(ENVELOPE_PREFIX + field));
        }
        columns.add(col(INGEST_TIME));
        columns.add(col(CONTRACT_INDEX));
        // Split filters on the reasons: without the barrier they would be pushed down, re-evaluating every parse.
        columns.add(Barrier.materialized(verdict.reasons()).as(REASONS));
        tables().forEach(table -> columns.add(typedData(table).as(DATA_PREFIX + table)));
        return routed.select(columns.toArray(Column[]::new));
    }

    /** The table's data columns as one struct, from whichever contract version the row was routed to. */
    private Column typedData(String table)
    {
        Column index = col(CONTRACT_INDEX);
        List<Integer> indexes = indexesOf(table);
        List<Column> fields = new ArrayList<>();
        for (StructField field : SparkSchemaConverter.toStructType(latest(table).schema()).fields()) {
            // Older versions lack newer optional fields: those stay null. Each branch is cast, not the CASE, and no
            // ELSE NULL is written out: the optimizer would push the cast into the branches, adding an ELSE NULL, and
            // take one more pass of its rule batch over the whole routing to remove it again.
            DataType type = nullable(field.dataType());
            Column value = null;
            for (int i = 0; i < contracts.size(); i++) {
                Column typed = compiled.get(i).fields().get(field.name());
                if (contracts.get(i).table().equals(table) && typed != null) {
                    Column branch = typed.try_cast(type);
                    value = value == null ? when(index.equalTo(i), branch) : when(index.equalTo(i), branch).otherwise(value);
                }
            }
            fields.add((value == null ? lit(null).cast(type) : value).as(field.name()));
        }
        // Null for rows of other tables: no struct of nulls to build and carry for them.
        return when(index.isin(indexes.toArray()), functions.struct(fields.toArray(Column[]::new)));
    }

    /**
     * Where {@link #split} sends a routed row: the name of its silver table when it passes its contract, null when it
     * goes to quarantine. Lets a micro-batch count each output before writing, and skip the empty ones.
     */
    public Column destination()
    {
        Column table = lit(null).cast(DataTypes.StringType);
        for (int index = contracts.size() - 1; index >= 0; index--) {
            table = when(col(CONTRACT_INDEX).equalTo(index), lit(contracts.get(index).table())).otherwise(table);
        }
        return when(passes(), table);
    }

    /** True on a routed row that passes its contract: what {@link #split} sends to silver. */
    public static Column passes()
    {
        return size(col(REASONS)).equalTo(0);
    }

    public EnforcedBatch split(Dataset<Row> routed)
    {
        Column valid = passes();
        Map<String, Dataset<Row>> silver = new LinkedHashMap<>();
        for (String table : tables()) {
            List<Integer> indexes = indexesOf(table);
            silver.put(table, routed.filter(valid.and(col(CONTRACT_INDEX).isin(indexes.toArray()))).select(silverColumns(table, indexes)));
        }
        return new EnforcedBatch(silver, routed.filter(not(valid)).select(quarantineColumns()));
    }

    private Verdict verdict()
    {
        Column envelope = col(ENVELOPE);
        Column index = col(CONTRACT_INDEX);
        Column specversion = envelope.getField(EnvelopeColumns.SPECVERSION);
        Column id = envelope.getField(EnvelopeColumns.ID);
        Column source = envelope.getField(EnvelopeColumns.SOURCE);
        Column type = envelope.getField(EnvelopeColumns.TYPE);
        Column time = envelope.getField(EnvelopeColumns.TIME);
        Column dataschema = envelope.getField(EnvelopeColumns.DATASCHEMA);
        Column contentType = envelope.getField(EnvelopeColumns.DATACONTENTTYPE);
        Column data = envelope.getField(EnvelopeColumns.DATA);

        List<Reasons.Check> checks = new ArrayList<>();
        for (String required : List.of(EnvelopeColumns.SPECVERSION, EnvelopeColumns.ID, EnvelopeColumns.SOURCE, EnvelopeColumns.TYPE,
                EnvelopeColumns.TIME, EnvelopeColumns.DATASCHEMA)) {
            checks.add(Reasons.check(envelope.getField(required).isNull(), required, QuarantineReason.MISSING_REQUIRED_FIELD,
                    "Missing required field: " + required));
        }
        checks.add(invalidEnvelopeField(specversion.notEqual("1.0"), EnvelopeColumns.SPECVERSION, specversion, "' is not 1.0"));
        checks.add(invalidEnvelopeField(id.isNotNull().and(col(EnvelopeColumns.EVENT_ID).isNull()), EnvelopeColumns.ID, id, "' is not a UUID"));
        // CloudEvents types: source and dataschema are URI-references, id, type and subject non-empty strings; none
        // may hold a control character (a UUID id cannot).
        Column subject = envelope.getField(EnvelopeColumns.SUBJECT);
        Column badSource = source.rlike(NOT_IN_URI_REFERENCE);
        Column badDataschema = dataschema.rlike(NOT_IN_URI_REFERENCE);
        Column badType = type.rlike(CONTROL_CHARACTER);
        checks.add(invalidEnvelopeField(source.equalTo(""), EnvelopeColumns.SOURCE, source, "' is empty"));
        checks.add(invalidEnvelopeField(badSource, EnvelopeColumns.SOURCE, source, "' is not a URI-reference: it holds a control character or space"));
        checks.add(invalidEnvelopeField(badDataschema, EnvelopeColumns.DATASCHEMA, dataschema,
                "' is not a URI-reference: it holds a control character or space"));
        checks.add(invalidEnvelopeField(type.equalTo(""), EnvelopeColumns.TYPE, type, "' is empty"));
        checks.add(invalidEnvelopeField(badType, EnvelopeColumns.TYPE, type, "' holds a control character"));
        checks.add(invalidEnvelopeField(subject.equalTo(""), EnvelopeColumns.SUBJECT, subject, "' is empty"));
        checks.add(invalidEnvelopeField(subject.rlike(CONTROL_CHARACTER), EnvelopeColumns.SUBJECT, subject, "' holds a control character"));
        checks.add(invalidEnvelopeField(time.isNotNull().and(col(EnvelopeColumns.EVENT_TIME).isNull()), EnvelopeColumns.TIME, time,
                "' is not an RFC 3339 date-time"));
        checks.add(invalidEnvelopeField(contentType.notEqual("application/json"), EnvelopeColumns.DATACONTENTTYPE, contentType,
                "' is not application/json"));

        // An invalid dataschema or type is reported as such, not again as naming no contract or event type.
        Column unknown = dataschema.isNotNull().and(index.isNull()).and(not(badDataschema));
        Column knownDataset = regexp_extract(dataschema, Contract.DATASCHEMA_PATTERN.pattern(), 1).isin(registry.datasets().toArray());
        checks.add(Reasons.check(unknown.and(knownDataset), lit(EnvelopeColumns.DATASCHEMA), QuarantineReason.UNKNOWN_CONTRACT_VERSION,
                Reasons.invalid(lit(EnvelopeColumns.DATASCHEMA), "no such version of the contract: '", dataschema, "'")));
        checks.add(Reasons.check(unknown.and(not(knownDataset)), lit(EnvelopeColumns.DATASCHEMA), QuarantineReason.UNKNOWN_CONTRACT,
                Reasons.invalid(lit(EnvelopeColumns.DATASCHEMA), "no such contract: '", dataschema, "'")));
        Column typeNotInContract = lit(false);
        for (int i = contracts.size() - 1; i >= 0; i--) {
            typeNotInContract = when(index.equalTo(i), not(type.isin(contracts.get(i).eventTypes().toArray())).and(not(badType))).otherwise(typeNotInContract);
        }
        checks.add(Reasons.check(typeNotInContract, lit(EnvelopeColumns.TYPE), QuarantineReason.TYPE_NOT_IN_CONTRACT,
                concat(Reasons.invalid(lit(EnvelopeColumns.TYPE), "'", type, "' is not an event type of "), dataschema)));
        checks.add(Reasons.check(index.isNotNull().and(data.isNull()), EnvelopeColumns.DATA, QuarantineReason.MISSING_REQUIRED_FIELD,
                "Missing required field: data"));

        Column contractViolation = lit(false);
        Column contractReasons = Reasons.empty();
        for (int i = contracts.size() - 1; i >= 0; i--) {
            contractViolation = when(index.equalTo(i), compiled.get(i).violation()).otherwise(contractViolation);
            contractReasons = when(index.equalTo(i), compiled.get(i).reasons()).otherwise(contractReasons);
        }
        Column payloadError = col(PAYLOAD_ERROR);
        Column duplicateMember = coalesce(col(DUPLICATE_MEMBER), lit(false));
        // contractViolation and contractReasons are never null (each contract's are not, nor the otherwise values):
        // a coalesce around them would cost the optimizer one more pass of its rule batch to take away.
        Column violation = payloadError.isNotNull().or(duplicateMember).or(Reasons.anyViolation(checks, List.of())).or(contractViolation);
        Column reasons = when(not(col(INVALID)), Reasons.empty())
                .when(payloadError.isNotNull(), array(payloadError))
                .when(duplicateMember, array(Reasons.reason(lit("$"), QuarantineReason.DUPLICATE_MEMBER,
                        lit("Invalid payload: an object names a member more than once"))))
                .otherwise(functions.filter(concat(Reasons.all(checks, List.of()), contractReasons), Column::isNotNull));
        return new Verdict(violation, reasons);
    }

    /**
     * @param violation true when a record breaks its contract or the envelope's rules; only generated code, evaluated
     *         for every record, and materialized as {@link #INVALID}
     * @param reasons the record's reasons, built only where {@link #INVALID} holds: the checks' conditions appear
     *         here a second time, but once each, so the expression tree (which the optimizer walks every micro-batch)
     *         stays about half the size it would have with a guard of its own
     */
    private record Verdict(Column violation, Column reasons) {}

    /**
     * True when an object of the payload, at any depth, names a member twice. Spark's reader keeps the last value;
     * Spark's VARIANT parser rejects the payload (try_parse_json is null), but it is a second parse, so it runs only
     * when counting cannot prove every member name distinct: the names of {@code data} are at least as many as its
     * non-null declared values, which are distinct names, and {@link #dataNameMarkers} is never fewer than those
     * names. Equal counts leave no room for a repeated name. Valid events from compact writers, and from
     * pretty-printers that write {@code "key": value}, pass the count.
     */
    private Column hasDuplicateMember()
    {
        Column text = col(RawRecordColumns.DATA).cast(DataTypes.StringType);
        Column dataValues = lit(null).cast(DataTypes.IntegerType);
        for (int i = contracts.size() - 1; i >= 0; i--) {
            dataValues = when(col(CONTRACT_INDEX).equalTo(i), compiled.get(i).nonNullValues()).otherwise(dataValues);
        }
        Column counted = col(DATA_NAME_MARKERS).equalTo(dataValues);
        return not(coalesce(counted, lit(false))).and(call_function("try_parse_json", text).isNull());
    }

    /**
     * An upper bound on the member names of {@code data}, at every depth, from one substring count over the payload;
     * null when the payload has whitespace before a colon. Where every name is followed by {@code ":}, the payload
     * holds at least as many {@code ":} as member names, and its envelope at least one name per non-null known
     * attribute: the count less those attributes is never fewer than the names in {@code data}, and equals them when
     * both parts are exact.
     */
    private static Column dataNameMarkers()
    {
        Column text = col(RawRecordColumns.DATA).cast(DataTypes.StringType);
        Column envelope = col(ENVELOPE);
        List<Column> envelopeTerms = new ArrayList<>();
        for (String field : List.of(EnvelopeColumns.SPECVERSION, EnvelopeColumns.ID, EnvelopeColumns.SOURCE, EnvelopeColumns.TYPE, EnvelopeColumns.TIME,
                EnvelopeColumns.DATASCHEMA, EnvelopeColumns.SUBJECT, EnvelopeColumns.DATACONTENTTYPE, EnvelopeColumns.DATA)) {
            envelopeTerms.add(when(envelope.getField(field).isNotNull(), 1).otherwise(0));
        }
        Column envelopeValues = Reasons.sum(envelopeTerms);
        // No whitespace before any colon, as an AND of negations (see ContractValidator on the optimizer and NOT over OR).
        Column noSpaceBeforeColon = not(text.contains(" :")).and(not(text.contains("\t:"))).and(not(text.contains("\n:"))).and(not(text.contains("\r:")));
        return when(col(PAYLOAD_ERROR).isNull().and(noSpaceBeforeColon), EnvelopeParser.occurrences(text, "\":").minus(envelopeValues));
    }

    private static Reasons.Check invalidEnvelopeField(Column condition, String field, Column value, String after)
    {
        return Reasons.check(condition, lit(field), QuarantineReason.INVALID_ENVELOPE_FIELD, Reasons.invalid(lit(field), "'", value, after));
    }

    private Column[] silverColumns(String table, List<Integer> indexes)
    {
        Column index = col(CONTRACT_INDEX);
        Map<String, Column> values = new LinkedHashMap<>();
        values.put(SilverColumns.EVENT_ID, col(EnvelopeColumns.EVENT_ID));
        values.put(SilverColumns.EVENT_TYPE, col(ENVELOPE_PREFIX + EnvelopeColumns.TYPE));
        values.put(SilverColumns.EVENT_SOURCE, col(ENVELOPE_PREFIX + EnvelopeColumns.SOURCE));
        values.put(SilverColumns.EVENT_TIME, col(EnvelopeColumns.EVENT_TIME));
        values.put(SilverColumns.EVENT_SUBJECT, col(ENVELOPE_PREFIX + EnvelopeColumns.SUBJECT));
        values.put(SilverColumns.EVENT_DATASCHEMA, col(ENVELOPE_PREFIX + EnvelopeColumns.DATASCHEMA));
        Column version = lit(null);
        for (int i : indexes) {
            version = when(index.equalTo(i), contracts.get(i).version()).otherwise(version);
        }
        values.put(SilverColumns.CONTRACT_VERSION, version);
        for (String field : SparkSchemaConverter.toStructType(latest(table).schema()).fieldNames()) {
            values.put(field, col(DATA_PREFIX + table).getField(field));
        }
        values.put(SilverColumns.INGEST_STREAM, col(RawRecordColumns.STREAM_NAME));
        values.put(SilverColumns.INGEST_SHARD_ID, col(RawRecordColumns.SHARD_ID));
        values.put(SilverColumns.INGEST_SEQUENCE_NUMBER, col(RawRecordColumns.SEQUENCE_NUMBER));
        values.put(SilverColumns.INGEST_PARTITION_KEY, col(RawRecordColumns.PARTITION_KEY));
        values.put(SilverColumns.INGEST_ARRIVAL_TIME, col(RawRecordColumns.APPROXIMATE_ARRIVAL_TIMESTAMP));
        values.put(SilverColumns.INGEST_TIME, col(INGEST_TIME));
        values.put(SilverColumns.EVENT_DATE, utcDate(col(EnvelopeColumns.EVENT_TIME)));
        return project(silverSchema(table), values);
    }

    private static Column[] quarantineColumns()
    {
        Column dataschema = col(ENVELOPE_PREFIX + EnvelopeColumns.DATASCHEMA);
        String pattern = Contract.DATASCHEMA_PATTERN.pattern();
        Map<String, Column> values = new LinkedHashMap<>();
        values.put(QuarantineColumns.RAW_PAYLOAD, col(RawRecordColumns.DATA));
        values.put(QuarantineColumns.INGEST_STREAM, col(RawRecordColumns.STREAM_NAME));
        values.put(QuarantineColumns.INGEST_SHARD_ID, col(RawRecordColumns.SHARD_ID));
        values.put(QuarantineColumns.INGEST_SEQUENCE_NUMBER, col(RawRecordColumns.SEQUENCE_NUMBER));
        values.put(QuarantineColumns.INGEST_PARTITION_KEY, col(RawRecordColumns.PARTITION_KEY));
        values.put(QuarantineColumns.INGEST_ARRIVAL_TIME, col(RawRecordColumns.APPROXIMATE_ARRIVAL_TIMESTAMP));
        values.put(QuarantineColumns.INGEST_TIME, col(INGEST_TIME));
        values.put(QuarantineColumns.INGEST_DATE, utcDate(col(INGEST_TIME)));
        values.put(QuarantineColumns.EVENT_ID, col(ENVELOPE_PREFIX + EnvelopeColumns.ID));
        values.put(QuarantineColumns.EVENT_TYPE, col(ENVELOPE_PREFIX + EnvelopeColumns.TYPE));
        values.put(QuarantineColumns.EVENT_DATASCHEMA, dataschema);
        values.put(QuarantineColumns.CONTRACT_DATASET, functions.nullif(regexp_extract(dataschema, pattern, 1), lit("")));
        values.put(QuarantineColumns.CONTRACT_VERSION, functions.nullif(regexp_extract(dataschema, pattern, 2), lit("")).try_cast(DataTypes.IntegerType));
        values.put(QuarantineColumns.REASONS, col(REASONS));
        values.put(QuarantineColumns.REPLAYED, lit(false));
        return project(QuarantineColumns.SCHEMA, values);
    }

    /** The values in schema order, each cast to its declared type (try_cast: a cast must never fail the job). */
    private static Column[] project(StructType schema, Map<String, Column> values)
    {
        return java.util.Arrays.stream(schema.fields())
                .map(field -> cast(values.get(field.name()), field.dataType()).as(field.name()))
                .toArray(Column[]::new);
    }

    private static Column cast(Column value, DataType type)
    {
        // Nullability is a property of the table, not of the expression: cast to the nullable form of the type.
        return value.try_cast(nullable(type));
    }

    private static DataType nullable(DataType type)
    {
        if (type instanceof ArrayType array) {
            return DataTypes.createArrayType(nullable(array.elementType()), true);
        }
        if (type instanceof StructType struct) {
            return new StructType(java.util.Arrays.stream(struct.fields())
                    .map(field -> new StructField(field.name(), nullable(field.dataType()), true, field.metadata()))
                    .toArray(StructField[]::new));
        }
        return type;
    }

    /** The UTC calendar date of a timestamp, whatever the session time zone. */
    private static Column utcDate(Column timestamp)
    {
        return functions.date_from_unix_date(functions.floor(functions.unix_micros(timestamp).divide(MICROS_PER_DAY)).cast(DataTypes.IntegerType));
    }

    /** The indexes of the contracts (versions) whose events go to {@code table}. */
    private List<Integer> indexesOf(String table)
    {
        List<Integer> indexes = new ArrayList<>();
        for (int index = 0; index < contracts.size(); index++) {
            if (contracts.get(index).table().equals(table)) {
                indexes.add(index);
            }
        }
        return indexes;
    }

    private Contract latest(String table)
    {
        List<Contract> versions = registry.contractsByTable().get(table);
        if (versions == null) {
            throw new IllegalArgumentException("Invalid table: " + table);
        }
        return versions.get(versions.size() - 1);
    }
}
