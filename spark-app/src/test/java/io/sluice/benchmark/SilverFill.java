package io.sluice.benchmark;

import io.sluice.pipeline.EnforcedBatch;
import io.sluice.table.RawRecordColumns;
import io.sluice.table.SilverColumns;
import io.sluice.produce.FeedOptions;
import io.sluice.produce.ProducedRecord;
import io.sluice.produce.TennisFeed;
import io.sluice.lake.Lake;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.storage.StorageLevel;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lpad;
import static org.apache.spark.sql.functions.md5;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.timestamp_micros;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.unix_micros;

/**
 * Fills a lake's silver tables with existing rows fast enough for tens of millions: a few thousand generated events
 * go through the real envelope parser and contract enforcer once, and the resulting silver rows are replicated with
 * {@code spark.range}, each copy with its own event id, event time, date and ingest fields. The rows are written
 * in time order by plain Delta appends, as a stream would have written them, so the table has many commits,
 * checkpoints, and files of at most {@code rowsPerFile} rows in day partitions.
 */
final class SilverFill
{
    private static final String TEMPLATE = "__template";
    private static final String TEMPLATE_TIME = "__template_time";
    private static final long MICROS_PER_SECOND = 1_000_000L;

    private final SparkSession spark;
    private final Lake lake;
    private final Map<String, Dataset<Row>> templates;
    private final Map<String, Long> templateCounts;

    private SilverFill(SparkSession spark, Lake lake, Map<String, Dataset<Row>> templates, Map<String, Long> templateCounts)
    {
        this.spark = spark;
        this.lake = lake;
        this.templates = templates;
        this.templateCounts = templateCounts;
    }

    /** Template rows from {@code events} clean generated events: their mix of tables is the fill's mix. */
    static SilverFill fromFeed(SparkSession spark, Lake lake, int events)
    {
        requireNonNull(spark, "spark is null");
        requireNonNull(lake, "lake is null");
        TennisFeed feed = new TennisFeed(new FeedOptions(99, 16, Instant.parse("2026-01-01T00:00:00Z"), 1000, 0, 0, 0, Duration.ZERO, 0, 1));
        List<Row> raw = new ArrayList<>();
        Timestamp arrival = Timestamp.from(Instant.parse("2026-01-01T00:00:00Z"));
        for (int i = 0; i < events; i++) {
            ProducedRecord record = feed.next();
            raw.add(RowFactory.create(record.payload(), "tennis-live", record.partitionKey(), Long.toString(49_000_000_000_000_000L + i), arrival,
                    "shardId-%012d".formatted(Math.floorMod(record.partitionKey().hashCode(), 4))));
        }
        EnforcedBatch batch = lake.enforcer().enforce(lake.enforcer().parse(spark.createDataFrame(raw, RawRecordColumns.SCHEMA)),
                arrival.toInstant());
        if (!batch.quarantine().isEmpty()) {
            throw new IllegalStateException("Cannot build fill templates: clean generated events were quarantined");
        }
        Map<String, Dataset<Row>> templates = new LinkedHashMap<>();
        Map<String, Long> counts = new LinkedHashMap<>();
        for (Map.Entry<String, Dataset<Row>> table : batch.silver().entrySet()) {
            // Cached, so that the parser and enforcer run once, not once per append.
            Dataset<Row> template = table.getValue()
                    .withColumn(TEMPLATE, row_number().over(Window.orderBy(SilverColumns.EVENT_ID)).minus(1).cast(DataTypes.LongType))
                    .withColumn(TEMPLATE_TIME, unix_micros(col(SilverColumns.EVENT_TIME)))
                    .persist(StorageLevel.MEMORY_ONLY());
            long rows = template.count();
            if (rows == 0) {
                template.unpersist();
                continue;
            }
            templates.put(table.getKey(), template);
            counts.put(table.getKey(), rows);
        }
        return new SilverFill(spark, lake, templates, counts);
    }

    /** How many of {@code rows} existing rows each silver table gets: the generated feed's mix. */
    Map<String, Long> split(long rows)
    {
        long total = templateCounts.values().stream().mapToLong(Long::longValue).sum();
        Map<String, Long> split = new LinkedHashMap<>();
        long assigned = 0;
        List<String> tables = new ArrayList<>(templateCounts.keySet());
        for (int i = 0; i < tables.size(); i++) {
            long share = i == tables.size() - 1 ? rows - assigned : rows * templateCounts.get(tables.get(i)) / total;
            split.put(tables.get(i), share);
            assigned += share;
        }
        return split;
    }

    /**
     * Appends {@code rows} rows to the silver tables in {@code appends} appends per table, with event times spread
     * evenly over [from, to). The tables fill side by side, one thread each, as the stream writes them.
     */
    void fill(long rows, int appends, int rowsPerFile, Instant from, Instant to)
    {
        long fromMicros = from.getEpochSecond() * MICROS_PER_SECOND + from.getNano() / 1000;
        long spanMicros = (to.getEpochSecond() * MICROS_PER_SECOND + to.getNano() / 1000) - fromMicros;
        Map<String, Long> split = split(rows);
        ExecutorService writers = Executors.newFixedThreadPool(split.size());
        try {
            List<Future<?>> tables = new ArrayList<>();
            for (Map.Entry<String, Long> table : split.entrySet()) {
                tables.add(writers.submit(() -> {
                    long tableRows = table.getValue();
                    for (int append = 0; append < appends; append++) {
                        rows(table.getKey(), tableRows * append / appends, tableRows * (append + 1) / appends, tableRows, fromMicros, spanMicros)
                                .repartition(col(SilverColumns.EVENT_DATE))
                                .write()
                                .format("delta")
                                .mode("append")
                                .option("maxRecordsPerFile", rowsPerFile)
                                .save(lake.tables().silver(table.getKey()).location());
                    }
                }));
            }
            for (Future<?> table : tables) {
                table.get();
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while filling the silver tables", e);
        }
        catch (ExecutionException e) {
            throw new IllegalStateException("Cannot fill the silver tables: " + e.getCause().getMessage(), e.getCause());
        }
        finally {
            writers.shutdownNow();
        }
    }

    /** Rows [first, last) of a table's {@code total}: template row {@code id mod templates}, re-keyed and moved in time. */
    private Dataset<Row> rows(String table, long first, long last, long total, long fromMicros, long spanMicros)
    {
        Column position = col("id");
        // Integral division keeps the times exact; a double would lose microseconds past 2^53.
        Column eventMicros = lit(fromMicros).plus(position.multiply(lit(spanMicros / Math.max(total, 1))));
        Column shift = eventMicros.minus(col(TEMPLATE_TIME));
        Column hash = md5(concat_ws(":", lit(table), position.cast(DataTypes.StringType)));
        Map<String, Column> overrides = new LinkedHashMap<>();
        overrides.put(SilverColumns.EVENT_ID, concat_ws("-", substring(hash, 1, 8), substring(hash, 9, 4), substring(hash, 13, 4),
                substring(hash, 17, 4), substring(hash, 21, 12)));
        overrides.put(SilverColumns.EVENT_TIME, timestamp_micros(eventMicros));
        overrides.put(SilverColumns.EVENT_DATE, to_date(timestamp_micros(eventMicros)));
        overrides.put(SilverColumns.INGEST_SEQUENCE_NUMBER, lpad(position.cast(DataTypes.StringType), 56, "0"));
        overrides.put(SilverColumns.INGEST_ARRIVAL_TIME, timestamp_micros(eventMicros.plus(lit(MICROS_PER_SECOND))));
        overrides.put(SilverColumns.INGEST_TIME, timestamp_micros(eventMicros.plus(lit(2 * MICROS_PER_SECOND))));
        Dataset<Row> template = templates.get(table);
        List<Column> columns = new ArrayList<>();
        for (StructField field : lake.enforcer().silverSchema(table).fields()) {
            Column value = overrides.get(field.name());
            if (value == null && field.dataType().equals(DataTypes.TimestampType)) {
                // Other timestamps (measured_at) move with the event, as the generator made them.
                value = timestamp_micros(unix_micros(col(field.name())).plus(shift));
            }
            columns.add((value == null ? col(field.name()) : value).as(field.name()));
        }
        return spark.range(first, last, 1, spark.sparkContext().defaultParallelism())
                .withColumn(TEMPLATE, pmod(position, lit(templateCounts.get(table))))
                .join(broadcast(template), TEMPLATE)
                .select(columns.toArray(Column[]::new));
    }
}
