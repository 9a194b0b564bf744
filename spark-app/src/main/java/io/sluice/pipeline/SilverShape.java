package io.sluice.pipeline;

import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.catalyst.util.GenericArrayData;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.io.Serial;
import java.io.Serializable;
import java.util.Arrays;

import static java.util.Objects.requireNonNull;

/**
 * Turns a value typed by one contract version into the type of the table's latest version: a field a version lacks
 * is null, an int column widened to long is widened, any other difference (which the compatibility check refuses)
 * leaves the value null rather than mistyped. Identical types, the common case, pass the value through untouched.
 */
final class SilverShape
        implements Serializable
{
    @Serial
    private static final long serialVersionUID = 1L;

    private enum Kind
    {
        SAME, STRUCT, ARRAY, INT_TO_LONG, NONE
    }

    private final Kind kind;
    /** For STRUCT: per target field, the source field's ordinal or -1. */
    private final int[] sources;
    /** For STRUCT: per target field its shape; for ARRAY: one, the elements'. */
    private final SilverShape[] children;

    private SilverShape(Kind kind, int[] sources, SilverShape[] children)
    {
        this.kind = kind;
        this.sources = sources;
        this.children = children;
    }

    static SilverShape of(DataType from, DataType to)
    {
        requireNonNull(from, "from is null");
        requireNonNull(to, "to is null");
        // sameType compares names and types, not nullability or comments.
        if (from.sameType(to)) {
            return new SilverShape(Kind.SAME, null, null);
        }
        if (from instanceof StructType source && to instanceof StructType target) {
            int[] sources = new int[target.fields().length];
            SilverShape[] children = new SilverShape[sources.length];
            for (int i = 0; i < sources.length; i++) {
                StructField field = target.fields()[i];
                sources[i] = Arrays.asList(source.fieldNames()).indexOf(field.name());
                children[i] = sources[i] < 0 ? null : of(source.fields()[sources[i]].dataType(), field.dataType());
            }
            return new SilverShape(Kind.STRUCT, sources, children);
        }
        if (from instanceof ArrayType source && to instanceof ArrayType target) {
            return new SilverShape(Kind.ARRAY, null, new SilverShape[] {of(source.elementType(), target.elementType())});
        }
        if (from.sameType(DataTypes.IntegerType) && to.sameType(DataTypes.LongType)) {
            return new SilverShape(Kind.INT_TO_LONG, null, null);
        }
        return new SilverShape(Kind.NONE, null, null);
    }

    Object apply(Object value)
    {
        if (value == null || kind == Kind.SAME) {
            return value;
        }
        return switch (kind) {
            case STRUCT -> {
                InternalRow row = (InternalRow) value;
                Object[] values = new Object[sources.length];
                for (int i = 0; i < sources.length; i++) {
                    values[i] = sources[i] < 0 ? null : children[i].apply(((GenericInternalRow) row).genericGet(sources[i]));
                }
                yield new GenericInternalRow(values);
            }
            case ARRAY -> {
                Object[] elements = ((ArrayData) value).array();
                Object[] shaped = new Object[elements.length];
                for (int i = 0; i < elements.length; i++) {
                    shaped[i] = children[0].apply(elements[i]);
                }
                yield new GenericArrayData(shaped);
            }
            case INT_TO_LONG -> ((Integer) value).longValue();
            case SAME -> value;
            case NONE -> null;
        };
    }

    /** The type with every field and element nullable: nullability is a property of a table, not of a value read. */
    static DataType nullable(DataType type)
    {
        if (type instanceof ArrayType array) {
            return DataTypes.createArrayType(nullable(array.elementType()), true);
        }
        if (type instanceof StructType struct) {
            return new StructType(Arrays.stream(struct.fields())
                    .map(field -> new StructField(field.name(), nullable(field.dataType()), true, field.metadata()))
                    .toArray(StructField[]::new));
        }
        return type;
    }
}
