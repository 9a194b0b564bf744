package io.sluice.pipeline;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.UnsafeProjection;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.apache.spark.sql.catalyst.expressions.codegen.CodegenContext;
import org.apache.spark.sql.catalyst.expressions.codegen.CodegenFallback;
import org.apache.spark.sql.catalyst.expressions.codegen.ExprCode;
import org.apache.spark.sql.classic.ExpressionUtils;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.jdk.javaapi.CollectionConverters;

import java.io.Serial;
import java.io.Serializable;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A struct column as the bytes of Spark's own row format, and back: so that a struct crosses an operator that hands
 * rows to Java code (the dedup's {@code transformWithState}) as one binary value, instead of being converted field by
 * field into Java objects (every string decoded, every nested struct and array a new object) and back again on the
 * way out, which was two fifths of the dedup job's time at 200,000 records a batch. The bytes are only ever read back
 * by {@link #unpack} with the schema they were written with, in the same query.
 *
 * <p>Two narrow Catalyst expressions of one child each, evaluated through {@link CodegenFallback} like
 * {@link ReadRecordExpression}; the build allows Spark's internal expression API here and there only.
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
            extends Expression
            implements CodegenFallback, Serializable
    {
        @Serial
        private static final long serialVersionUID = 1L;

        private final Expression struct;
        private final StructType schema;
        private final scala.collection.immutable.List<Expression> children;
        /** For a struct another expression built as a generic row; made when first needed, in the task. */
        private transient UnsafeProjection projection;

        Pack(Expression struct, StructType schema)
        {
            this.struct = requireNonNull(struct, "struct is null");
            this.schema = requireNonNull(schema, "schema is null");
            this.children = CollectionConverters.asScala(List.of(struct)).toList();
        }

        @Override
        public scala.collection.immutable.Seq<Expression> children()
        {
            return children;
        }

        @Override
        public DataType dataType()
        {
            return DataTypes.BinaryType;
        }

        @Override
        public boolean nullable()
        {
            return struct.nullable();
        }

        @Override
        public Object eval(InternalRow input)
        {
            InternalRow value = (InternalRow) struct.eval(input);
            if (value == null) {
                return null;
            }
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
        public ExprCode doGenCode(CodegenContext context, ExprCode expression)
        {
            return CodegenFallback.super.doGenCode(context, expression);
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

        @Override
        public int productArity()
        {
            return 2;
        }

        @Override
        public Object productElement(int n)
        {
            return switch (n) {
                case 0 -> struct;
                case 1 -> schema;
                default -> throw new IndexOutOfBoundsException("Invalid element: " + n);
            };
        }

        @Override
        public boolean canEqual(Object that)
        {
            return that instanceof Pack;
        }

        @Override
        public boolean equals(Object o)
        {
            return o instanceof Pack that && struct.equals(that.struct) && schema.equals(that.schema);
        }

        @Override
        public int hashCode()
        {
            return struct.hashCode() * 31 + schema.hashCode();
        }
    }

    /** The struct value whose {@link UnsafeRow} bytes these are, read in place. */
    static final class Unpack
            extends Expression
            implements CodegenFallback, Serializable
    {
        @Serial
        private static final long serialVersionUID = 1L;

        private final Expression bytes;
        private final StructType schema;
        private final scala.collection.immutable.List<Expression> children;

        Unpack(Expression bytes, StructType schema)
        {
            this.bytes = requireNonNull(bytes, "bytes is null");
            this.schema = requireNonNull(schema, "schema is null");
            this.children = CollectionConverters.asScala(List.of(bytes)).toList();
        }

        @Override
        public scala.collection.immutable.Seq<Expression> children()
        {
            return children;
        }

        @Override
        public DataType dataType()
        {
            return schema;
        }

        @Override
        public boolean nullable()
        {
            return bytes.nullable();
        }

        @Override
        public Object eval(InternalRow input)
        {
            byte[] value = (byte[]) bytes.eval(input);
            if (value == null) {
                return null;
            }
            UnsafeRow struct = new UnsafeRow(schema.size());
            struct.pointTo(value, value.length);
            return struct;
        }

        @Override
        public ExprCode doGenCode(CodegenContext context, ExprCode expression)
        {
            return CodegenFallback.super.doGenCode(context, expression);
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

        @Override
        public int productArity()
        {
            return 2;
        }

        @Override
        public Object productElement(int n)
        {
            return switch (n) {
                case 0 -> bytes;
                case 1 -> schema;
                default -> throw new IndexOutOfBoundsException("Invalid element: " + n);
            };
        }

        @Override
        public boolean canEqual(Object that)
        {
            return that instanceof Unpack;
        }

        @Override
        public boolean equals(Object o)
        {
            return o instanceof Unpack that && bytes.equals(that.bytes) && schema.equals(that.schema);
        }

        @Override
        public int hashCode()
        {
            return bytes.hashCode() * 31 + schema.hashCode();
        }
    }
}
