package io.sluice.contract;

import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.MetadataBuilder;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Maps a contract's JSON Schema to the Spark types of its silver columns:
 * object → struct, array → array, string → string (date-time → timestamp, date → date, enum → string),
 * integer → int when both bounds fit in 32 bits else long, number → double, boolean → boolean;
 * a property is non-nullable exactly when it is {@code required}.
 */
public final class SparkSchemaConverter
{
    private static final BigDecimal INT_MIN = BigDecimal.valueOf(Integer.MIN_VALUE);
    private static final BigDecimal INT_MAX = BigDecimal.valueOf(Integer.MAX_VALUE);

    private SparkSchemaConverter() {}

    public static StructType toStructType(SchemaNode object)
    {
        if (object.type() != JsonType.OBJECT) {
            throw new IllegalArgumentException("Cannot convert to a struct: schema has type " + object.type().jsonName());
        }
        List<StructField> fields = new ArrayList<>();
        for (Map.Entry<String, SchemaNode> property : object.properties().entrySet()) {
            SchemaNode node = property.getValue();
            Metadata metadata = node.description()
                    .map(description -> new MetadataBuilder().putString("comment", description).build())
                    .orElse(Metadata.empty());
            fields.add(new StructField(property.getKey(), toDataType(node), !object.isRequired(property.getKey()), metadata));
        }
        return new StructType(fields.toArray(StructField[]::new));
    }

    public static DataType toDataType(SchemaNode node)
    {
        return switch (node.type()) {
            case OBJECT -> toStructType(node);
            // Elements are never null: a null element fails validation (see io.sluice.pipeline.DataRule).
            case ARRAY -> DataTypes.createArrayType(toDataType(node.items().orElseThrow()), false);
            case STRING -> node.isDateTime() ? DataTypes.TimestampType : node.isDate() ? DataTypes.DateType : DataTypes.StringType;
            case INTEGER -> fitsInInt(node) ? DataTypes.IntegerType : DataTypes.LongType;
            case NUMBER -> DataTypes.DoubleType;
            case BOOLEAN -> DataTypes.BooleanType;
        };
    }

    private static boolean fitsInInt(SchemaNode node)
    {
        return node.minimum().filter(min -> min.compareTo(INT_MIN) >= 0).isPresent()
                && node.maximum().filter(max -> max.compareTo(INT_MAX) <= 0).isPresent();
    }
}
