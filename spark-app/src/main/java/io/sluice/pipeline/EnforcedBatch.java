package io.sluice.pipeline;

import io.sluice.table.QuarantineColumns;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Enforcement's outputs: the valid rows per silver table and the quarantined rows. Every input row is in exactly
 * one of them. Each is a lazy view of the same routed rows: to write several of them, split a persisted
 * {@link ContractEnforcer#route} result, or each write recomputes the parsing.
 *
 * @param silver silver table name to its rows, shaped as {@link ContractEnforcer#silverSchema(String)}
 * @param quarantine rows shaped as {@link QuarantineColumns#SCHEMA}
 */
public record EnforcedBatch(Map<String, Dataset<Row>> silver, Dataset<Row> quarantine)
{
    public EnforcedBatch
    {
        silver = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(silver, "silver is null")));
        requireNonNull(quarantine, "quarantine is null");
    }
}
