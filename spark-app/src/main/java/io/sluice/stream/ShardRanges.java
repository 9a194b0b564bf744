package io.sluice.stream;

import io.sluice.sink.ShardRange;
import io.sluice.table.RawRecordColumns;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;

/**
 * The records a micro-batch read from each shard (first and last sequence number, how many), for its audit row: one
 * aggregation over the batch's rows. Only the audit row needs it, so a batch runs it beside its table writes.
 */
final class ShardRanges
{
    private ShardRanges() {}

    static List<ShardRange> of(Dataset<Row> rows)
    {
        requireNonNull(rows, "rows is null");
        // Sequence numbers are decimal strings of up to 56 digits (more with a sub-record suffix): among strings of
        // one length, string order is numeric order. Grouping by length as well lets min and max read the values
        // as they are (padding each to one width cost an allocation and a copy per record); the ranges of a
        // shard's lengths are merged below, by length first.
        Column sequence = col(RawRecordColumns.SEQUENCE_NUMBER);
        List<Row> groups = rows
                .groupBy(coalesce(col(RawRecordColumns.SHARD_ID), lit("")).as("shard"), length(sequence).as("sequence_length"))
                .agg(count(lit(1)).as("records"), min(sequence).as("first"), max(sequence).as("last"))
                .collectAsList();
        Map<String, ShardRange> ranges = new LinkedHashMap<>();
        for (Row group : groups) {
            String shard = group.getString(0);
            String first = Objects.requireNonNullElse(group.getString(3), "");
            String last = Objects.requireNonNullElse(group.getString(4), "");
            ranges.merge(shard, new ShardRange(shard, first, last, group.getLong(2)), (left, right) -> new ShardRange(shard,
                    lower(left.firstSequenceNumber(), right.firstSequenceNumber()),
                    higher(left.lastSequenceNumber(), right.lastSequenceNumber()),
                    left.records() + right.records()));
        }
        return new ArrayList<>(ranges.values());
    }

    private static String lower(String left, String right)
    {
        return compareSequence(left, right) <= 0 ? left : right;
    }

    private static String higher(String left, String right)
    {
        return compareSequence(left, right) >= 0 ? left : right;
    }

    private static int compareSequence(String left, String right)
    {
        int byLength = Integer.compare(left.length(), right.length());
        return byLength != 0 ? byLength : left.compareTo(right);
    }
}
