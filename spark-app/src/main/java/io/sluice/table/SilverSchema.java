package io.sluice.table;

import io.sluice.contract.Contract;
import io.sluice.contract.ContractRegistry;
import io.sluice.contract.SparkSchemaConverter;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * The schema of a silver table, derived from its contracts alone: envelope columns, the latest contract version's
 * data columns, ingest columns. It needs no Spark session and builds no expressions, so the CDK app can generate
 * the Glue tables from exactly the schema the job writes.
 */
public final class SilverSchema
{
    private static final StructType ENVELOPE = new StructType()
            .add(SilverColumns.EVENT_ID, DataTypes.StringType, false)
            .add(SilverColumns.EVENT_TYPE, DataTypes.StringType, false)
            .add(SilverColumns.EVENT_SOURCE, DataTypes.StringType, false)
            .add(SilverColumns.EVENT_TIME, DataTypes.TimestampType, false)
            .add(SilverColumns.EVENT_SUBJECT, DataTypes.StringType, true)
            .add(SilverColumns.EVENT_DATASCHEMA, DataTypes.StringType, false)
            .add(SilverColumns.CONTRACT_VERSION, DataTypes.IntegerType, false);
    private static final StructType INGEST = new StructType()
            .add(SilverColumns.INGEST_STREAM, DataTypes.StringType, true)
            .add(SilverColumns.INGEST_SHARD_ID, DataTypes.StringType, true)
            .add(SilverColumns.INGEST_SEQUENCE_NUMBER, DataTypes.StringType, true)
            .add(SilverColumns.INGEST_PARTITION_KEY, DataTypes.StringType, true)
            .add(SilverColumns.INGEST_ARRIVAL_TIME, DataTypes.TimestampType, true)
            .add(SilverColumns.INGEST_TIME, DataTypes.TimestampType, false)
            .add(SilverColumns.EVENT_DATE, DataTypes.DateType, false);

    private SilverSchema() {}

    /** The schema of the table whose newest contract version is {@code latest}. */
    public static StructType of(Contract latest)
    {
        requireNonNull(latest, "latest is null");
        List<StructField> fields = new ArrayList<>(List.of(ENVELOPE.fields()));
        fields.addAll(List.of(SparkSchemaConverter.toStructType(latest.schema()).fields()));
        fields.addAll(List.of(INGEST.fields()));
        return new StructType(fields.toArray(StructField[]::new));
    }

    /** Every silver table's schema, by table name, in the registry's order. */
    public static Map<String, StructType> all(ContractRegistry contracts)
    {
        requireNonNull(contracts, "contracts is null");
        Map<String, StructType> schemas = new LinkedHashMap<>();
        contracts.contractsByTable().forEach((table, versions) -> schemas.put(table, of(versions.get(versions.size() - 1))));
        return schemas;
    }
}
