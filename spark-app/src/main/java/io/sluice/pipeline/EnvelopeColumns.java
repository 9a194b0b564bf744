package io.sluice.pipeline;

import io.sluice.table.SilverColumns;

import io.sluice.contract.Contract;
import org.apache.spark.sql.Column;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.regexp_extract;

/** Columns {@link EnvelopeParser} adds to the raw record columns. */
public final class EnvelopeColumns
{
    /** The CloudEvent id; null when absent or not a UUID. Dedup keys on it. */
    public static final String EVENT_ID = SilverColumns.EVENT_ID;
    /** The CloudEvent time; null when absent or not an RFC 3339 date-time. Dedup's watermark uses it. */
    public static final String EVENT_TIME = SilverColumns.EVENT_TIME;
    /**
     * The envelope as parsed, all attributes as strings, {@code data} as its JSON text; null when the payload failed
     * the pre-parse checks. Internal to the pipeline: read it through {@link ContractEnforcer}.
     */
    public static final String ENVELOPE = "envelope";
    /** A quarantine reason for the payload as a whole (unparseable, oversized, ...), null when it parsed as an object. */
    public static final String PAYLOAD_ERROR = "payload_error";

    // Fields of the ENVELOPE struct.
    static final String SPECVERSION = "specversion";
    static final String ID = "id";
    static final String SOURCE = "source";
    static final String TYPE = "type";
    static final String TIME = "time";
    static final String DATASCHEMA = "dataschema";
    static final String SUBJECT = "subject";
    static final String DATACONTENTTYPE = "datacontenttype";
    static final String DATA = "data";
    static final String CORRUPT = "_corrupt$";

    private EnvelopeColumns() {}

    /** The contract dataset a parsed record's {@code dataschema} names; empty when it names none. */
    public static Column dataset()
    {
        return regexp_extract(col(ENVELOPE).getField(DATASCHEMA), Contract.DATASCHEMA_PATTERN.pattern(), 1);
    }
}
