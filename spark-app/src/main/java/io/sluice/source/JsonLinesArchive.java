package io.sluice.source;

import io.sluice.table.RawRecordColumns;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.trim;

/**
 * Raw records from CloudEvents JSON-lines files, what a raw archive or an export holds: one record per line,
 * plain or gzip-compressed (by file extension), under a directory or prefix (local, {@code s3://} or {@code s3a://}),
 * recursively. Archives carry no Kinesis metadata, so those columns are null; blank lines are not records.
 */
public final class JsonLinesArchive
{
    /** The column Spark's text source reads each line into. */
    public static final String LINE = "value";

    private JsonLinesArchive() {}

    public static Dataset<Row> read(SparkSession spark, String location)
    {
        requireNonNull(spark, "spark is null");
        requireNonNull(location, "location is null");
        return fromLines(spark.read().option("recursiveFileLookup", "true").text(location));
    }

    /** Lines (Spark's text source, batch or streaming) as raw records. */
    public static Dataset<Row> fromLines(Dataset<Row> lines)
    {
        Column none = lit(null).cast(DataTypes.StringType);
        return lines.filter(length(trim(col(LINE))).gt(0)).select(
                col(LINE).cast(DataTypes.BinaryType).as(RawRecordColumns.DATA),
                none.as(RawRecordColumns.STREAM_NAME),
                none.as(RawRecordColumns.PARTITION_KEY),
                none.as(RawRecordColumns.SEQUENCE_NUMBER),
                lit(null).cast(DataTypes.TimestampType).as(RawRecordColumns.APPROXIMATE_ARRIVAL_TIMESTAMP),
                none.as(RawRecordColumns.SHARD_ID));
    }
}
