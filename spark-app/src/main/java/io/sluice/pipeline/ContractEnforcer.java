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
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.regexp_extract;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.when;

/**
 * Reads raw records into events ({@link #parse}) and splits them, possibly deduplicated in between, into typed silver
 * rows per table and quarantine rows ({@link #route}, {@link #split}). A pure function of its input DataFrame: the same
 * code serves the stream (per micro-batch) and batch backfills.
 *
 * <p>Cost per record: one pass of one JSON parser ({@link RecordReader}, a Catalyst expression) reads the envelope,
 * checks {@code data} against the contract its {@code dataschema} names and types it for silver; everything after it
 * is column projections of that record. No UDFs, no encoders.
 */
public final class ContractEnforcer
{
    static final String CONTRACT_INDEX = "__contract";
    static final String REASONS = "__reasons";
    /** The routed rows' ingest time column; a micro-batch may set it after persisting them (see MicroBatchProcessor). */
    public static final String INGEST_TIME = "__ingest_time";
    static final String ENVELOPE_PREFIX = "__envelope_";
    static final String DATA_PREFIX = "__data_";

    private static final long MICROS_PER_DAY = 86_400_000_000L;

    private final ContractRegistry registry;
    private final List<Contract> contracts;
    private final RecordReader reader;

    public ContractEnforcer(ContractRegistry registry)
    {
        this(registry, EnforcementLimits.defaults());
    }

    public ContractEnforcer(ContractRegistry registry, EnforcementLimits limits)
    {
        this.registry = requireNonNull(registry, "registry is null");
        requireNonNull(limits, "limits is null");
        this.contracts = registry.contracts();
        for (Contract contract : contracts) {
            for (String property : contract.schema().properties().keySet()) {
                if (SilverColumns.RESERVED.contains(property)) {
                    throw ContractException.unusable(contract.origin(), "property '%s' collides with a silver column".formatted(property));
                }
            }
        }
        this.reader = new RecordReader(registry, limits);
    }

    /**
     * Reads each raw record's payload once into {@link EnvelopeColumns#RECORD}, and adds {@link EnvelopeColumns#EVENT_ID}
     * and {@link EnvelopeColumns#EVENT_TIME} for dedup. Never fails on record content.
     */
    public Dataset<Row> parse(Dataset<Row> raw)
    {
        // The barrier keeps the read in this projection: referenced many times downstream, it must run once.
        Column record = col(EnvelopeColumns.RECORD);
        return raw
                .withColumn(EnvelopeColumns.RECORD, Barrier.materialized(ReadRecordExpression.column(col(RawRecordColumns.DATA), reader)))
                .withColumn(EnvelopeColumns.EVENT_ID, record.getField(RecordReader.EVENT_ID))
                .withColumn(EnvelopeColumns.EVENT_TIME, record.getField(RecordReader.EVENT_TIME));
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
     * All rows of {@code enveloped} ({@link #parse} output) with their contract and quarantine reasons resolved.
     * Persist this in a micro-batch before {@link #split} when writing several outputs.
     */
    public Dataset<Row> route(Dataset<Row> enveloped, Column ingestTime)
    {
        Column record = col(EnvelopeColumns.RECORD);
        List<Column> columns = new ArrayList<>();
        for (String raw : RawRecordColumns.SCHEMA.fieldNames()) {
            columns.add(col(raw));
        }
        columns.add(col(EnvelopeColumns.EVENT_ID));
        columns.add(col(EnvelopeColumns.EVENT_TIME));
        // Columns an earlier stage added (the dedup label) pass through, so one routing serves several splits.
        Set<String> parsed = new HashSet<>(List.of(RawRecordColumns.SCHEMA.fieldNames()));
        parsed.addAll(List.of(EnvelopeColumns.EVENT_ID, EnvelopeColumns.EVENT_TIME, EnvelopeColumns.RECORD));
        for (String column : enveloped.columns()) {
            if (!parsed.contains(column)) {
                columns.add(col(column));
            }
        }
        for (String field : List.of(EnvelopeColumns.ID, EnvelopeColumns.TYPE, EnvelopeColumns.SOURCE, EnvelopeColumns.SUBJECT, EnvelopeColumns.DATASCHEMA)) {
            columns.add(record.getField(field).as(ENVELOPE_PREFIX + field));
        }
        columns.add(ingestTime.cast(DataTypes.TimestampType).as(INGEST_TIME));
        columns.add(record.getField(RecordReader.CONTRACT).as(CONTRACT_INDEX));
        columns.add(record.getField(RecordReader.REASONS).as(REASONS));
        tables().forEach(table -> columns.add(record.getField(RecordReader.DATA_PREFIX + table).as(DATA_PREFIX + table)));
        return enveloped.select(columns.toArray(Column[]::new));
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

    /** True on a routed row that {@link #split} sends to {@code table}'s silver rows. */
    public Column routesTo(String table)
    {
        List<Integer> indexes = indexesOf(table);
        if (indexes.isEmpty()) {
            throw new IllegalArgumentException("No contract writes to table " + table + " (tables: " + tables() + ")");
        }
        return passes().and(col(CONTRACT_INDEX).isin(indexes.toArray()));
    }

    public EnforcedBatch split(Dataset<Row> routed)
    {
        Map<String, Dataset<Row>> silver = new LinkedHashMap<>();
        for (String table : tables()) {
            silver.put(table, routed.filter(routesTo(table)).select(silverColumns(table, indexesOf(table))));
        }
        return new EnforcedBatch(silver, routed.filter(not(passes())).select(quarantineColumns()));
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
        return value.try_cast(SilverShape.nullable(type));
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
