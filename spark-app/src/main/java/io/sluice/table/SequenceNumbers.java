package io.sluice.table;

import org.apache.spark.unsafe.types.UTF8String;

import static java.util.Objects.requireNonNull;

/**
 * The order of Kinesis sequence numbers within a shard ({@link RawRecordColumns#SEQUENCE_NUMBER}). They are decimal
 * strings of up to 56 digits; a KPL user record's is its aggregate's, a colon and its index in the aggregate
 * ({@code KinesisPartitionReader}). Each part compares as a number, by length and then digit by digit, so "100"
 * follows "9" and "499:12" precedes "500:9" (as strings, both would be the other way round).
 */
public final class SequenceNumbers
{
    /** A user record's index is an int: at most 10 digits after the colon. */
    private static final int MAX_INDEX_DIGITS = 10;

    private SequenceNumbers() {}

    public static int compare(UTF8String left, UTF8String right)
    {
        requireNonNull(left, "left is null");
        requireNonNull(right, "right is null");
        int leftColon = colon(left);
        int rightColon = colon(right);
        if (leftColon == left.numBytes() && rightColon == right.numBytes()) {
            // Neither is a user record's, the usual case: Spark's word-at-a-time comparison.
            int byLength = Integer.compare(left.numBytes(), right.numBytes());
            return byLength != 0 ? byLength : left.compareTo(right);
        }
        int byNumber = compareDigits(left, 0, leftColon, right, 0, rightColon);
        if (byNumber != 0) {
            return byNumber;
        }
        return compareDigits(left, Math.min(leftColon + 1, left.numBytes()), left.numBytes(),
                right, Math.min(rightColon + 1, right.numBytes()), right.numBytes());
    }

    public static int compare(String left, String right)
    {
        return compare(UTF8String.fromString(requireNonNull(left, "left is null")), UTF8String.fromString(requireNonNull(right, "right is null")));
    }

    /** Where the index starts, or the end: looked for from the end only, as far as an index can reach. */
    private static int colon(UTF8String sequence)
    {
        int end = sequence.numBytes();
        for (int i = end - 1; i >= Math.max(0, end - 1 - MAX_INDEX_DIGITS); i--) {
            if (sequence.getByte(i) == ':') {
                return i;
            }
        }
        return end;
    }

    private static int compareDigits(UTF8String left, int leftFrom, int leftTo, UTF8String right, int rightFrom, int rightTo)
    {
        int order = Integer.compare(leftTo - leftFrom, rightTo - rightFrom);
        for (int i = 0; order == 0 && i < leftTo - leftFrom; i++) {
            order = Byte.compare(left.getByte(leftFrom + i), right.getByte(rightFrom + i));
        }
        return order;
    }
}
