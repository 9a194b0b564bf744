package io.sluice.benchmark;

import io.sluice.contract.Contract;
import io.sluice.contract.ContractRegistry;
import io.sluice.contract.SparkSchemaConverter;
import io.sluice.table.RawRecordColumns;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.from_json;

/**
 * (a) What ingestion costs with nothing on top: one {@code from_json} with the full schema (the envelope and the
 * union of every contract's data fields) into one Delta table through Delta's own streaming sink. No partitioning, no
 * routing, no checks.
 */
final class BareContender
        implements Contender
{
    private final SparkSession spark;
    private final StructType schema;
    private final Trigger trigger;

    BareContender(SparkSession spark, ContractRegistry contracts, Trigger trigger)
    {
        this.spark = requireNonNull(spark, "spark is null");
        this.schema = fullSchema(requireNonNull(contracts, "contracts is null"));
        this.trigger = requireNonNull(trigger, "trigger is null");
    }

    @Override
    public String name()
    {
        return "bare";
    }

    @Override
    public Started start(Dataset<Row> raw, Path directory)
    {
        String table = directory.resolve("events").toString();
        // start(path) declares no TimeoutException, unlike start().
        var query = raw.select(from_json(col(RawRecordColumns.DATA).cast(DataTypes.StringType), schema).as("event"))
                .select("event.*")
                .writeStream()
                .format("delta")
                .option("checkpointLocation", directory.resolve("checkpoint").toString())
                .trigger(trigger)
                .start(table);
        return new Started(query, input -> {
            long rows = spark.read().format("delta").load(table).count();
            if (rows != input.records()) {
                throw new BenchmarkFailure("bare: %,d rows in the table, %,d records in the input".formatted(rows, input.records()));
            }
        });
    }

    private static StructType fullSchema(ContractRegistry contracts)
    {
        // Fields of every contract, newest first, so a field's newest type wins.
        Map<String, StructField> data = new LinkedHashMap<>();
        for (String dataset : contracts.datasets()) {
            Contract latest = contracts.latest(dataset).orElseThrow();
            for (StructField field : SparkSchemaConverter.toStructType(latest.schema()).fields()) {
                data.putIfAbsent(field.name(), new StructField(field.name(), field.dataType(), true, field.metadata()));
            }
        }
        return new StructType()
                .add("specversion", DataTypes.StringType)
                .add("id", DataTypes.StringType)
                .add("source", DataTypes.StringType)
                .add("type", DataTypes.StringType)
                .add("time", DataTypes.TimestampType)
                .add("dataschema", DataTypes.StringType)
                .add("subject", DataTypes.StringType)
                .add("datacontenttype", DataTypes.StringType)
                .add("data", new StructType(data.values().toArray(StructField[]::new)));
    }
}
