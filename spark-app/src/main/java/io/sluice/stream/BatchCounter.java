package io.sluice.stream;

import io.sluice.pipeline.ContractEnforcer;
import io.sluice.pipeline.DedupStatus;
import io.sluice.pipeline.EnvelopeColumns;
import io.sluice.pipeline.EventDeduplicator;
import io.sluice.spark.LocalCheckpoint;
import io.sluice.table.RawRecordColumns;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count_if;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.not;

/**
 * Counts what a micro-batch's writes depend on, as aggregates that {@link LocalCheckpoint#of(org.apache.spark.sql.Dataset, List)}
 * computes in the pass that materializes the batch: records per dedup status, on-time (new or unkeyed) rows per
 * silver table, records other than duplicates that fail their contract, and the newest arrival and event times.
 * Every aggregate has a fixed place in the list, so no grouping and no shuffle is needed.
 */
final class BatchCounter
{
    private static final DedupStatus[] STATUSES = DedupStatus.values();

    private final List<String> tables;
    private final List<Column> aggregates;

    BatchCounter(ContractEnforcer enforcer)
    {
        requireNonNull(enforcer, "enforcer is null");
        this.tables = List.copyOf(new TreeSet<>(enforcer.tables()));
        Column status = col(EventDeduplicator.STATUS_COLUMN);
        Column onTime = status.isin(DedupStatus.NEW.name(), DedupStatus.UNKEYED.name());
        List<Column> columns = new ArrayList<>();
        for (DedupStatus value : STATUSES) {
            columns.add(count_if(status.equalTo(value.name())).as("status_" + value.name()));
        }
        for (int i = 0; i < tables.size(); i++) {
            columns.add(count_if(onTime.and(enforcer.routesTo(tables.get(i)))).as("on_time_silver_" + i));
        }
        columns.add(count_if(not(ContractEnforcer.passes()).and(status.notEqual(DedupStatus.DUPLICATE.name()))).as("quarantine_candidates"));
        columns.add(max(col(RawRecordColumns.APPROXIMATE_ARRIVAL_TIMESTAMP)).as("max_arrival"));
        columns.add(max(col(EnvelopeColumns.EVENT_TIME)).as("max_event_time"));
        this.aggregates = List.copyOf(columns);
    }

    /** Aggregate expressions over routed and labelled rows, in the order {@link #read} reads their values. */
    List<Column> aggregates()
    {
        return aggregates;
    }

    Counts read(Row values)
    {
        requireNonNull(values, "values is null");
        if (values.size() != aggregates.size()) {
            throw new IllegalArgumentException("Expected %d aggregate values, got %d".formatted(aggregates.size(), values.size()));
        }
        int position = 0;
        Map<DedupStatus, Long> byStatus = new EnumMap<>(DedupStatus.class);
        for (DedupStatus status : STATUSES) {
            byStatus.put(status, values.getLong(position++));
        }
        Map<String, Long> onTimeSilver = new TreeMap<>();
        for (String table : tables) {
            onTimeSilver.put(table, values.getLong(position++));
        }
        long quarantineCandidates = values.getLong(position++);
        Optional<Instant> maxArrival = Optional.ofNullable((Timestamp) values.get(position++)).map(Timestamp::toInstant);
        Optional<Instant> maxEvent = Optional.ofNullable((Timestamp) values.get(position)).map(Timestamp::toInstant);
        return new Counts(byStatus, onTimeSilver, quarantineCandidates, maxArrival, maxEvent);
    }

    /**
     * @param onTimeSilver rows of on-time (new or unkeyed) records that pass their contract, by silver table
     * @param quarantineCandidates records other than duplicates that fail their contract
     */
    record Counts(Map<DedupStatus, Long> byStatus, Map<String, Long> onTimeSilver, long quarantineCandidates,
            Optional<Instant> maxArrivalTime, Optional<Instant> maxEventTime)
    {
        Counts
        {
            byStatus = Map.copyOf(requireNonNull(byStatus, "byStatus is null"));
            onTimeSilver = Map.copyOf(requireNonNull(onTimeSilver, "onTimeSilver is null"));
            requireNonNull(maxArrivalTime, "maxArrivalTime is null");
            requireNonNull(maxEventTime, "maxEventTime is null");
        }

        long onTimeRowsFor(String table)
        {
            return onTimeSilver.getOrDefault(table, 0L);
        }

        long countOf(DedupStatus status)
        {
            return byStatus.getOrDefault(status, 0L);
        }

        long read()
        {
            return byStatus.values().stream().mapToLong(Long::longValue).sum();
        }
    }
}
