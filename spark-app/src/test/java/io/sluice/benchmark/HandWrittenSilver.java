package io.sluice.benchmark;

import io.sluice.contract.Contract;
import io.sluice.contract.ContractRegistry;
import io.sluice.contract.SparkSchemaConverter;
import io.sluice.table.RawRecordColumns;
import io.sluice.table.SilverColumns;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.regexp_extract;
import static org.apache.spark.sql.functions.to_date;

/**
 * The silver rows a data engineer's own job derives from raw records, without Sluice: the envelope parsed once with
 * {@code data} kept as JSON text, then per table {@code from_json} of {@code data} with the latest contract's schema,
 * in Sluice's silver column order. No validation: what parses is written. Shared by the hand-written streaming job
 * ({@link HandWrittenContender}) and the hand-written backfill ({@link HandWrittenMerge}).
 */
final class HandWrittenSilver
{
    private static final StructType ENVELOPE = new StructType()
            .add("specversion", DataTypes.StringType)
            .add("id", DataTypes.StringType)
            .add("source", DataTypes.StringType)
            .add("type", DataTypes.StringType)
            .add("time", DataTypes.TimestampType)
            .add("dataschema", DataTypes.StringType)
            .add("subject", DataTypes.StringType)
            .add("datacontenttype", DataTypes.StringType)
            // A JSON object read as a string keeps its text, for the per-contract parse.
            .add("data", DataTypes.StringType);

    private final Map<String, Table> tables = new TreeMap<>();

    private record Table(List<String> dataschemas, StructType data)
    {
        Table
        {
            dataschemas = List.copyOf(requireNonNull(dataschemas, "dataschemas is null"));
            requireNonNull(data, "data is null");
        }
    }

    HandWrittenSilver(ContractRegistry contracts)
    {
        requireNonNull(contracts, "contracts is null");
        contracts.contractsByTable().forEach((table, versions) -> {
            Contract latest = versions.get(versions.size() - 1);
            tables.put(table, new Table(versions.stream().map(Contract::dataschema).toList(), SparkSchemaConverter.toStructType(latest.schema())));
        });
    }

    List<String> tables()
    {
        return List.copyOf(tables.keySet());
    }

    /** Raw records with their envelope parsed into the struct column {@code e}; the raw metadata columns kept. */
    static Dataset<Row> events(Dataset<Row> raw)
    {
        return raw.select(
                from_json(col(RawRecordColumns.DATA).cast(DataTypes.StringType), ENVELOPE).as("e"),
                col(RawRecordColumns.STREAM_NAME), col(RawRecordColumns.SHARD_ID), col(RawRecordColumns.SEQUENCE_NUMBER),
                col(RawRecordColumns.PARTITION_KEY), col(RawRecordColumns.APPROXIMATE_ARRIVAL_TIMESTAMP));
    }

    /** The silver rows of one table from {@link #events}. */
    Dataset<Row> silverRows(Dataset<Row> events, String name)
    {
        Table table = requireNonNull(tables.get(name), () -> "no table " + name);
        return events.filter(col("e.dataschema").isin(table.dataschemas().toArray()))
                .select(
                        col("e.id").as(SilverColumns.EVENT_ID),
                        col("e.type").as(SilverColumns.EVENT_TYPE),
                        col("e.source").as(SilverColumns.EVENT_SOURCE),
                        col("e.time").as(SilverColumns.EVENT_TIME),
                        col("e.subject").as(SilverColumns.EVENT_SUBJECT),
                        col("e.dataschema").as(SilverColumns.EVENT_DATASCHEMA),
                        regexp_extract(col("e.dataschema"), ":([0-9]+)$", 1).cast(DataTypes.IntegerType).as(SilverColumns.CONTRACT_VERSION),
                        from_json(col("e.data"), table.data()).as("d"),
                        col(RawRecordColumns.STREAM_NAME).as(SilverColumns.INGEST_STREAM),
                        col(RawRecordColumns.SHARD_ID).as(SilverColumns.INGEST_SHARD_ID),
                        col(RawRecordColumns.SEQUENCE_NUMBER).as(SilverColumns.INGEST_SEQUENCE_NUMBER),
                        col(RawRecordColumns.PARTITION_KEY).as(SilverColumns.INGEST_PARTITION_KEY),
                        col(RawRecordColumns.APPROXIMATE_ARRIVAL_TIMESTAMP).as(SilverColumns.INGEST_ARRIVAL_TIME),
                        current_timestamp().as(SilverColumns.INGEST_TIME),
                        to_date(col("e.time")).as(SilverColumns.EVENT_DATE))
                .select(columns(table));
    }

    /** The silver column order: envelope, the contract's data fields, ingest columns, partition column. */
    private static Column[] columns(Table table)
    {
        List<String> before = List.of(SilverColumns.EVENT_ID, SilverColumns.EVENT_TYPE, SilverColumns.EVENT_SOURCE, SilverColumns.EVENT_TIME,
                SilverColumns.EVENT_SUBJECT, SilverColumns.EVENT_DATASCHEMA, SilverColumns.CONTRACT_VERSION);
        List<String> after = List.of(SilverColumns.INGEST_STREAM, SilverColumns.INGEST_SHARD_ID, SilverColumns.INGEST_SEQUENCE_NUMBER,
                SilverColumns.INGEST_PARTITION_KEY, SilverColumns.INGEST_ARRIVAL_TIME, SilverColumns.INGEST_TIME, SilverColumns.EVENT_DATE);
        List<Column> columns = new ArrayList<>();
        before.forEach(name -> columns.add(col(name)));
        for (String field : table.data().fieldNames()) {
            columns.add(col("d").getField(field).as(field));
        }
        after.forEach(name -> columns.add(col(name)));
        return columns.toArray(Column[]::new);
    }
}
