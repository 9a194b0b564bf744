package io.sluice.pipeline;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.classic.ExpressionUtils;
import org.apache.spark.sql.types.DataType;

import java.io.Serial;

/**
 * {@link RecordReader} as a Catalyst expression over the payload bytes: the record struct is built straight into
 * Spark's internal row format, with no Java UDF (whose arguments and result go through object converters per row) and
 * no encoder. With {@link StructBytes}, the pipeline's use of Spark's internal expression API, a narrow one (an
 * expression with one child, which Spark's generated code calls through {@link OneChildExpression}); the
 * build keeps it to these.
 */
final class ReadRecordExpression
        extends OneChildExpression
{
    @Serial
    private static final long serialVersionUID = 1L;

    private final RecordReader reader;

    /** @param reader compared by identity, as Catalyst compares expressions: one reader per enforcer */
    ReadRecordExpression(Expression payload, RecordReader reader)
    {
        super(payload, reader);
        this.reader = reader;
    }

    /** The record read from a binary payload column. */
    static Column column(Column payload, RecordReader reader)
    {
        return ExpressionUtils.column(new ReadRecordExpression(ExpressionUtils.expression(payload), reader));
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
    public Object apply(Object payload)
    {
        return reader.read((byte[]) payload);
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
}
