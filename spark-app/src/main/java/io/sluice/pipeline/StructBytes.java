package io.sluice.pipeline;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.UnsafeProjection;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.apache.spark.sql.classic.ExpressionUtils;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.io.Serial;

/**
 * A struct column as the bytes of Spark's own row format, and back: so that a struct crosses an operator that hands
 * rows to Java code (the dedup's {@code transformWithState}) as one binary value, instead of being converted field by
 * field into Java objects (every string decoded, every nested struct and array a new object) and back again on the
 * way out, which was two fifths of the dedup job's time at 200,000 records a batch. The bytes are only ever read back
 * by {@link #unpack} with the schema they were written with, in the same query.
 *
 * <p>Two narrow Catalyst expressions of one child each ({@link OneChildExpression}), like
 * {@link ReadRecordExpression}; the build allows Spark's internal expression API there and here only.
 */
final class StructBytes
{
    private StructBytes() {}

    /** The bytes of a struct column's values; null for a null struct. */
    static Column pack(Column struct, StructType schema)
    {
        return ExpressionUtils.column(new Pack(ExpressionUtils.expression(struct), schema));
    }

    /** The struct values of {@link #pack}'s bytes; {@code schema} must be the one they were packed with. */
    static Column unpack(Column bytes, StructType schema)
    {
        return ExpressionUtils.column(new Unpack(ExpressionUtils.expression(bytes), schema));
    }

    /** A struct value as the bytes of its {@link UnsafeRow}. */
    static final class Pack
            extends OneChildExpression
    {
        @Serial
        private static final long serialVersionUID = 1L;

        private final StructType schema;
        /** For a struct another expression built as a generic row; made when first needed, in the task. */
        private transient UnsafeProjection projection;

        Pack(Expression struct, StructType schema)
        {
            super(struct, schema);
            this.schema = schema;
        }

        @Override
        public DataType dataType()
        {
            return DataTypes.BinaryType;
        }

        @Override
        public boolean nullable()
        {
            return child().nullable();
        }

        @Override
        public Object apply(Object struct)
        {
            if (struct == null) {
                return null;
            }
            InternalRow value = (InternalRow) struct;
            if (value instanceof UnsafeRow unsafe) {
                // A struct inside a row is a view of the row's buffer: its bytes are self-contained (offsets relative
                // to the struct), so they are copied as they are.
                return unsafe.getBytes();
            }
            if (projection == null) {
                projection = UnsafeProjection.create(schema);
            }
            return projection.apply(value).getBytes();
        }

        @Override
        public Expression withNewChildrenInternal(scala.collection.immutable.IndexedSeq<Expression> children)
        {
            return new Pack(children.apply(0), schema);
        }

        @Override
        public String prettyName()
        {
            return "sluice_pack_struct";
        }
    }

    /** The struct value whose {@link UnsafeRow} bytes these are, read in place. */
    static final class Unpack
            extends OneChildExpression
    {
        @Serial
        private static final long serialVersionUID = 1L;

        private final StructType schema;

        Unpack(Expression bytes, StructType schema)
        {
            super(bytes, schema);
            this.schema = schema;
        }

        @Override
        public DataType dataType()
        {
            return schema;
        }

        @Override
        public boolean nullable()
        {
            return child().nullable();
        }

        @Override
        public Object apply(Object bytes)
        {
            if (bytes == null) {
                return null;
            }
            byte[] value = (byte[]) bytes;
            UnsafeRow struct = new UnsafeRow(schema.size());
            struct.pointTo(value, value.length);
            return struct;
        }

        @Override
        public Expression withNewChildrenInternal(scala.collection.immutable.IndexedSeq<Expression> children)
        {
            return new Unpack(children.apply(0), schema);
        }

        @Override
        public String prettyName()
        {
            return "sluice_unpack_struct";
        }
    }
}
