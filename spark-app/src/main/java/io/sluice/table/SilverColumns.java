package io.sluice.table;

import java.util.List;

/** Columns every silver table has besides the contract's data columns (which sit between envelope and ingest). */
public final class SilverColumns
{
    public static final String EVENT_ID = "event_id";
    public static final String EVENT_TYPE = "event_type";
    public static final String EVENT_SOURCE = "event_source";
    public static final String EVENT_TIME = "event_time";
    public static final String EVENT_SUBJECT = "event_subject";
    public static final String EVENT_DATASCHEMA = "event_dataschema";
    public static final String CONTRACT_VERSION = "contract_version";

    public static final String INGEST_STREAM = "ingest_stream";
    public static final String INGEST_SHARD_ID = "ingest_shard_id";
    public static final String INGEST_SEQUENCE_NUMBER = "ingest_sequence_number";
    public static final String INGEST_PARTITION_KEY = "ingest_partition_key";
    public static final String INGEST_ARRIVAL_TIME = "ingest_arrival_time";
    public static final String INGEST_TIME = "ingest_time";
    /** Partition column: the UTC date of {@link #EVENT_TIME}. */
    public static final String EVENT_DATE = "event_date";

    /** Partition columns of every silver table, in order. */
    public static final List<String> PARTITION_COLUMNS = List.of(EVENT_DATE, EVENT_TYPE);

    /** Names a contract property may not take. */
    public static final List<String> RESERVED = List.of(EVENT_ID, EVENT_TYPE, EVENT_SOURCE, EVENT_TIME, EVENT_SUBJECT, EVENT_DATASCHEMA,
            CONTRACT_VERSION, INGEST_STREAM, INGEST_SHARD_ID, INGEST_SEQUENCE_NUMBER, INGEST_PARTITION_KEY, INGEST_ARRIVAL_TIME, INGEST_TIME, EVENT_DATE);

    private SilverColumns() {}
}
