package io.sluice.stream;

import io.sluice.sink.ShardRange;
import io.sluice.spark.RowFold;
import io.sluice.table.RawRecordColumns;
import io.sluice.table.SequenceNumbers;

import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * The records a micro-batch read from each shard (first and last sequence number, how many), for its audit row.
 *
 * <p>Folded by the pass that computes and keeps the batch ({@link io.sluice.spark.LocalCheckpoint}): each task folds
 * its partition into a range per shard, and the driver merges the tasks' ranges. As a job of its own, it was a second
 * pass over the batch and a Spark job's scheduling, beside the table writes on the same cores; as Spark's grouped
 * {@code min} and {@code max} of strings (which cannot use its hash aggregation), it sorted the batch twice.
 */
final class ShardRanges
        implements RowFold<ShardRanges.PartitionRanges>
{
    private static final long serialVersionUID = 1L;

    private final int shardField;
    private final int sequenceField;

    /** @param schema the batch's rows, with the shard id and sequence number columns of {@link RawRecordColumns} */
    ShardRanges(StructType schema)
    {
        requireNonNull(schema, "schema is null");
        this.shardField = stringField(schema, RawRecordColumns.SHARD_ID);
        this.sequenceField = stringField(schema, RawRecordColumns.SEQUENCE_NUMBER);
    }

    /** The batch's range per shard, merged from its partitions' ranges; records without a shard id count under "". */
    static List<ShardRange> merge(Collection<PartitionRanges> partitions)
    {
        requireNonNull(partitions, "partitions is null");
        Map<String, PartialRange> ranges = new LinkedHashMap<>();
        for (PartitionRanges partition : partitions) {
            for (PartialRange range : partition.ranges()) {
                ranges.merge(range.shard(), range, PartialRange::merge);
            }
        }
        List<ShardRange> result = new ArrayList<>();
        for (PartialRange range : ranges.values()) {
            result.add(new ShardRange(range.shard(), nullToEmpty(range.first()), nullToEmpty(range.last()), range.records()));
        }
        return result;
    }

    @Override
    public RowFold.Partition<PartitionRanges> start()
    {
        return new Fold(shardField, sequenceField);
    }

    private static int stringField(StructType schema, String name)
    {
        int field = schema.fieldIndex(name);
        if (!schema.fields()[field].dataType().equals(DataTypes.StringType)) {
            throw new IllegalArgumentException("Invalid batch schema: column %s is %s, not a string".formatted(name, schema.fields()[field].dataType().simpleString()));
        }
        return field;
    }

    private static String nullToEmpty(String value)
    {
        return value == null ? "" : value;
    }

    /** One partition's ranges, as its task sends them to the driver. */
    record PartitionRanges(List<PartialRange> ranges)
            implements Serializable
    {
        PartitionRanges
        {
            ranges = List.copyOf(requireNonNull(ranges, "ranges is null"));
        }
    }

    /** The ranges of one partition's rows, by shard, as a task folds them. */
    private static final class Fold
            implements RowFold.Partition<PartitionRanges>
    {
        private static final UTF8String NO_SHARD = UTF8String.EMPTY_UTF8;

        private final int shardField;
        private final int sequenceField;
        private final Map<UTF8String, ShardFold> byShard = new HashMap<>();

        Fold(int shardField, int sequenceField)
        {
            this.shardField = shardField;
            this.sequenceField = sequenceField;
        }

        @Override
        public void add(InternalRow row)
        {
            UTF8String shard = row.isNullAt(shardField) ? NO_SHARD : row.getUTF8String(shardField);
            ShardFold fold = byShard.get(shard);
            if (fold == null) {
                // The row's strings point into a buffer the next row may reuse: what is kept is copied.
                fold = new ShardFold();
                byShard.put(shard.clone(), fold);
            }
            fold.add(row.isNullAt(sequenceField) ? null : row.getUTF8String(sequenceField));
        }

        @Override
        public PartitionRanges result()
        {
            List<PartialRange> ranges = new ArrayList<>();
            byShard.forEach((shard, fold) -> ranges.add(new PartialRange(shard.toString(),
                    fold.first == null ? null : fold.first.toString(), fold.last == null ? null : fold.last.toString(), fold.records)));
            return new PartitionRanges(ranges);
        }
    }

    /** One shard's range in one partition. */
    private static final class ShardFold
    {
        private UTF8String first;
        private UTF8String last;
        private long records;

        void add(UTF8String sequence)
        {
            records++;
            if (sequence == null) {
                return;
            }
            if (first == null || SequenceNumbers.compare(sequence, first) < 0) {
                first = sequence.clone();
            }
            if (last == null || SequenceNumbers.compare(sequence, last) > 0) {
                last = sequence.clone();
            }
        }
    }

    /** A shard's range in some partitions; a null sequence number when those partitions had none. */
    record PartialRange(String shard, String first, String last, long records)
            implements Serializable
    {
        PartialRange
        {
            requireNonNull(shard, "shard is null");
        }

        PartialRange merge(PartialRange other)
        {
            return new PartialRange(shard, lower(first, other.first), higher(last, other.last), records + other.records);
        }

        private static String lower(String left, String right)
        {
            if (left == null || right == null) {
                return left == null ? right : left;
            }
            return SequenceNumbers.compare(left, right) <= 0 ? left : right;
        }

        private static String higher(String left, String right)
        {
            if (left == null || right == null) {
                return left == null ? right : left;
            }
            return SequenceNumbers.compare(left, right) >= 0 ? left : right;
        }
    }
}
