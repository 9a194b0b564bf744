package io.sluice.table;

import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.List;

/** The quarantine table: every record that failed enforcement, with its exact bytes and why. */
public final class QuarantineColumns
{
    public static final String RAW_PAYLOAD = "raw_payload";
    public static final String INGEST_STREAM = SilverColumns.INGEST_STREAM;
    public static final String INGEST_SHARD_ID = SilverColumns.INGEST_SHARD_ID;
    public static final String INGEST_SEQUENCE_NUMBER = SilverColumns.INGEST_SEQUENCE_NUMBER;
    public static final String INGEST_PARTITION_KEY = SilverColumns.INGEST_PARTITION_KEY;
    public static final String INGEST_ARRIVAL_TIME = SilverColumns.INGEST_ARRIVAL_TIME;
    public static final String INGEST_TIME = SilverColumns.INGEST_TIME;
    /** Partition column: the UTC date of {@link #INGEST_TIME} (event time may be what is broken). */
    public static final String INGEST_DATE = "ingest_date";
    /** The envelope's id, type and dataschema as sent, when the payload parsed (even if invalid). */
    public static final String EVENT_ID = SilverColumns.EVENT_ID;
    public static final String EVENT_TYPE = SilverColumns.EVENT_TYPE;
    public static final String EVENT_DATASCHEMA = SilverColumns.EVENT_DATASCHEMA;
    /** The contract the dataschema names, when it is a Sluice contract URN (whether or not it exists). */
    public static final String CONTRACT_DATASET = "contract_dataset";
    public static final String CONTRACT_VERSION = SilverColumns.CONTRACT_VERSION;
    public static final String REASONS = "reasons";
    /** Set by a later replay of the row; always false when enforcement writes it. */
    public static final String REPLAYED = "replayed";

    /** One reason a record was quarantined: where, which rule, and a message for people. */
    public static final StructType REASON_TYPE = new StructType()
            .add("field_path", DataTypes.StringType, false)
            .add("rule", DataTypes.StringType, false)
            .add("message", DataTypes.StringType, true);
    public static final ArrayType REASONS_TYPE = DataTypes.createArrayType(REASON_TYPE, false);

    public static final List<String> PARTITION_COLUMNS = List.of(INGEST_DATE);

    public static final StructType SCHEMA = new StructType()
            .add(RAW_PAYLOAD, DataTypes.BinaryType, true)
            .add(INGEST_STREAM, DataTypes.StringType, true)
            .add(INGEST_SHARD_ID, DataTypes.StringType, true)
            .add(INGEST_SEQUENCE_NUMBER, DataTypes.StringType, true)
            .add(INGEST_PARTITION_KEY, DataTypes.StringType, true)
            .add(INGEST_ARRIVAL_TIME, DataTypes.TimestampType, true)
            .add(INGEST_TIME, DataTypes.TimestampType, false)
            .add(INGEST_DATE, DataTypes.DateType, false)
            .add(EVENT_ID, DataTypes.StringType, true)
            .add(EVENT_TYPE, DataTypes.StringType, true)
            .add(EVENT_DATASCHEMA, DataTypes.StringType, true)
            .add(CONTRACT_DATASET, DataTypes.StringType, true)
            .add(CONTRACT_VERSION, DataTypes.IntegerType, true)
            .add(REASONS, REASONS_TYPE, false)
            .add(REPLAYED, DataTypes.BooleanType, false);

    private QuarantineColumns() {}
}
