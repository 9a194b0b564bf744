package io.sluice.source.kinesis;

import io.sluice.config.UsageException;
import io.sluice.table.RawRecordColumns;

import org.apache.spark.sql.connector.catalog.Table;
import org.apache.spark.sql.connector.catalog.TableProvider;
import org.apache.spark.sql.connector.expressions.Transform;
import org.apache.spark.sql.sources.DataSourceRegister;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

import java.util.Map;

/**
 * Entry point of {@code spark.readStream.format("sluice-kinesis")}: a micro-batch source reading one Kinesis
 * stream with GetRecords. Options are validated here so a bad value fails when the query is defined.
 */
public final class KinesisSourceProvider
        implements TableProvider, DataSourceRegister
{
    public static final String SHORT_NAME = "sluice-kinesis";

    /** The raw-record columns; the first five equal the {@code aws-kinesis} connector's, so either can feed the same pipeline. */
    public static final StructType SCHEMA = RawRecordColumns.SCHEMA;

    @Override
    public String shortName()
    {
        return SHORT_NAME;
    }

    @Override
    public StructType inferSchema(CaseInsensitiveStringMap options)
    {
        KinesisSourceOptions.parse(options);
        return SCHEMA;
    }

    @Override
    public Table getTable(StructType schema, Transform[] partitioning, Map<String, String> properties)
    {
        if (schema != null && !schema.equals(SCHEMA)) {
            throw new UsageException("Invalid schema for %s: %s; expected %s (the schema is fixed)".formatted(SHORT_NAME, schema.simpleString(), SCHEMA.simpleString()));
        }
        return new KinesisTable(properties);
    }
}
