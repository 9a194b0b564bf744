package io.sluice.table;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Delta table properties every Sluice table gets. Athena engine v3 and Glue read these tables, so features they
 * cannot read stay off: deletion vectors, column mapping, V2 checkpoints, type widening (see docs/tables.md).
 */
public final class TableProperties
{
    private TableProperties() {}

    /**
     * Columns worth per-file min/max statistics: what readers filter on (event id for the late MERGE and for lookups,
     * the times for ranges). Delta's default is the first 32 columns, nested fields included; collecting those on
     * every write is work no query uses.
     */
    static final List<String> STATISTICS_COLUMNS = List.of(
            SilverColumns.EVENT_ID, SilverColumns.EVENT_TIME, SilverColumns.INGEST_TIME, BronzeRecords.ARRIVAL_TIME, "started_at", "batch_id");
    /**
     * Columns whose values are all or nearly all distinct (a record's payload, its sequence number, an event's id, and
     * the event and arrival times, to the millisecond): Parquet's dictionary encoding hashes each value into a
     * dictionary it then finds too large or no smaller than the plain values and falls back from, about a third of a
     * write's CPU time here for nothing (for the times, stored as 12-byte INT96 values, 7% of a 200k-record batch's
     * executor samples). Delta hands a table's properties to the Parquet writer as Hadoop settings, where
     * {@code parquet.enable.dictionary#<column>} turns dictionary encoding off for that column only.
     */
    static final List<String> DISTINCT_VALUE_COLUMNS = List.of(
            BronzeRecords.PAYLOAD, BronzeRecords.SEQUENCE_NUMBER, BronzeRecords.ARRIVAL_TIME, QuarantineColumns.RAW_PAYLOAD, SilverColumns.EVENT_ID,
            SilverColumns.INGEST_SEQUENCE_NUMBER, SilverColumns.EVENT_TIME, SilverColumns.INGEST_ARRIVAL_TIME);
    static final String NO_DICTIONARY_PREFIX = "parquet.enable.dictionary#";
    /**
     * Large values no reader filters on (a record's raw payload): Parquet's min/max statistics would compare each
     * value with the page's bounds byte by byte, about 2% of a micro-batch's executor time, for bounds no query reads.
     * Passed to the Parquet writer like the dictionary setting, as {@code parquet.column.statistics.enabled#<column>}.
     */
    static final List<String> UNFILTERED_PAYLOAD_COLUMNS = List.of(BronzeRecords.PAYLOAD, QuarantineColumns.RAW_PAYLOAD);
    static final String NO_STATISTICS_PREFIX = "parquet.column.statistics.enabled#";
    /** The largest interval Delta accepts: its commits never reach a multiple of it. */
    static final int NO_CHECKPOINT_IN_COMMIT = Integer.MAX_VALUE;

    public static Map<String, String> forTable(TableSpec table)
    {
        Map<String, String> properties = new LinkedHashMap<>();
        List<String> statistics = STATISTICS_COLUMNS.stream()
                .filter(column -> List.of(table.schema().fieldNames()).contains(column) && !table.partitionColumns().contains(column))
                .toList();
        if (!statistics.isEmpty()) {
            properties.put("delta.dataSkippingStatsColumns", String.join(",", statistics));
        }
        DISTINCT_VALUE_COLUMNS.stream()
                .filter(column -> List.of(table.schema().fieldNames()).contains(column))
                .forEach(column -> properties.put(NO_DICTIONARY_PREFIX + column, "false"));
        UNFILTERED_PAYLOAD_COLUMNS.stream()
                .filter(column -> List.of(table.schema().fieldNames()).contains(column))
                .forEach(column -> properties.put(NO_STATISTICS_PREFIX + column, "false"));
        boolean appendOnly = table.appendOnly();
        properties.put("delta.enableDeletionVectors", "false");
        properties.put("delta.checkpointPolicy", "classic");
        // Delta would checkpoint inside the commit that reaches a multiple of this, every table in the same batch;
        // Sluice writes the checkpoints itself, off the commit path (sink.LogCheckpoints).
        properties.put("delta.checkpointInterval", Integer.toString(NO_CHECKPOINT_IN_COMMIT));
        properties.put("delta.enableTypeWidening", "false");
        properties.put("delta.logRetentionDuration", "interval 30 days");
        properties.put("delta.deletedFileRetentionDuration", "interval 7 days");
        properties.put("delta.appendOnly", Boolean.toString(appendOnly));
        return properties;
    }
}
