package io.sluice.table;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Delta table properties every Sluice table gets. Athena engine v3 and Glue read these tables, so features they
 * cannot read stay off: deletion vectors, column mapping, V2 checkpoints, type widening (see docs/tables.md).
 */
public final class TableProperties
{
    private TableProperties() {}

    public static Map<String, String> forTable(boolean appendOnly)
    {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("delta.enableDeletionVectors", "false");
        properties.put("delta.checkpointPolicy", "classic");
        properties.put("delta.enableTypeWidening", "false");
        properties.put("delta.logRetentionDuration", "interval 30 days");
        properties.put("delta.deletedFileRetentionDuration", "interval 7 days");
        properties.put("delta.appendOnly", Boolean.toString(appendOnly));
        return properties;
    }
}
