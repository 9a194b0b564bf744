package io.sluice.pipeline;

import io.sluice.table.SilverColumns;

import io.sluice.contract.Contract;
import org.apache.spark.sql.Column;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.regexp_extract;

/** Columns {@link ContractEnforcer#parse} adds to the raw record columns. */
public final class EnvelopeColumns
{
    /** The CloudEvent id; null when absent or not a UUID. Dedup keys on it. */
    public static final String EVENT_ID = SilverColumns.EVENT_ID;
    /** The CloudEvent time; null when absent or not an RFC 3339 date-time. Dedup's watermark uses it. */
    public static final String EVENT_TIME = SilverColumns.EVENT_TIME;
    /**
     * The record as {@link RecordReader} read it: envelope attributes as strings, the contract it names, its
     * quarantine reasons, its data typed for its silver table. Internal to the pipeline: read it through
     * {@link ContractEnforcer}.
     */
    public static final String RECORD = "record";

    // Envelope attributes, also fields of the RECORD struct.
    static final String SPECVERSION = "specversion";
    static final String ID = "id";
    static final String SOURCE = "source";
    static final String TYPE = "type";
    static final String TIME = "time";
    static final String DATASCHEMA = "dataschema";
    static final String SUBJECT = "subject";
    static final String DATACONTENTTYPE = "datacontenttype";
    static final String DATA = "data";

    private EnvelopeColumns() {}

    /** The contract dataset a parsed record's {@code dataschema} names; empty when it names none. */
    public static Column dataset()
    {
        return regexp_extract(col(RECORD).getField(DATASCHEMA), Contract.DATASCHEMA_PATTERN.pattern(), 1);
    }
}
