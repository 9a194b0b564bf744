package io.sluice.pipeline;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.codegen.CodegenContext;
import org.apache.spark.sql.catalyst.expressions.codegen.CodegenFallback;
import org.apache.spark.sql.catalyst.expressions.codegen.ExprCode;
import org.apache.spark.sql.classic.ExpressionUtils;
import org.apache.spark.sql.types.DataType;

import scala.jdk.javaapi.CollectionConverters;

import java.io.Serial;
import java.io.Serializable;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * {@link RecordReader} as a Catalyst expression over the payload bytes: the record struct is built straight into
 * Spark's internal row format, with no Java UDF (whose arguments and result go through object converters per row) and
 * no encoder. This class and {@link #column} are the pipeline's one use of Spark's internal expression API, a narrow
 * one (an expression with one child, evaluated by Spark's generated code through {@link CodegenFallback}); the
 * build keeps it the only one.
 */
final class ReadRecordExpression
        extends Expression
        implements CodegenFallback, Serializable
{
    @Serial
    private static final long serialVersionUID = 1L;

    private final Expression payload;
    private final RecordReader reader;
    private final scala.collection.immutable.List<Expression> children;

    ReadRecordExpression(Expression payload, RecordReader reader)
    {
        this.payload = requireNonNull(payload, "payload is null");
        this.reader = requireNonNull(reader, "reader is null");
        this.children = CollectionConverters.asScala(List.of(payload)).toList();
    }

    /** The record read from a binary payload column. */
    static Column column(Column payload, RecordReader reader)
    {
        return ExpressionUtils.column(new ReadRecordExpression(ExpressionUtils.expression(payload), reader));
    }

    @Override
    public scala.collection.immutable.Seq<Expression> children()
    {
        return children;
    }

    @Override
    public DataType dataType()
    {
        return reader.schema();
    }

    @Override
    public boolean nullable()
    {
        return false;
    }

    /** A null payload is read too: it is a record to quarantine, not a null record. */
    @Override
    public Object eval(InternalRow input)
    {
        return reader.read((byte[]) payload.eval(input));
    }

    @Override
    public ExprCode doGenCode(CodegenContext context, ExprCode expression)
    {
        return CodegenFallback.super.doGenCode(context, expression);
    }

    @Override
    public Expression withNewChildrenInternal(scala.collection.immutable.IndexedSeq<Expression> children)
    {
        return new ReadRecordExpression(children.apply(0), reader);
    }

    @Override
    public String prettyName()
    {
        return "sluice_read_record";
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
            case 0 -> payload;
            case 1 -> reader;
            default -> throw new IndexOutOfBoundsException("Invalid element: " + n);
        };
    }

    @Override
    public boolean canEqual(Object that)
    {
        return that instanceof ReadRecordExpression;
    }

    @Override
    public boolean equals(Object o)
    {
        return o instanceof ReadRecordExpression that && payload.equals(that.payload) && reader == that.reader;
    }

    @Override
    public int hashCode()
    {
        return payload.hashCode() * 31 + System.identityHashCode(reader);
    }
}
