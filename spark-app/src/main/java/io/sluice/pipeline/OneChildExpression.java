package io.sluice.pipeline;

import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.codegen.CodegenContext;
import org.apache.spark.sql.catalyst.expressions.codegen.CodegenFallback;
import org.apache.spark.sql.catalyst.expressions.codegen.ExprCode;
import scala.jdk.javaapi.CollectionConverters;

import java.io.Serial;
import java.io.Serializable;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * What Sluice's Catalyst expressions share: one child, one parameter that is not an expression (a reader, a
 * schema), evaluation through {@link CodegenFallback}, and the tree-node plumbing Catalyst asks of every expression
 * (children, product elements, equality). A subclass says what it computes: {@code eval}, {@code dataType},
 * {@code nullable}, {@code withNewChildrenInternal} and {@code prettyName}.
 */
abstract class OneChildExpression
        extends Expression
        implements CodegenFallback, Serializable
{
    @Serial
    private static final long serialVersionUID = 1L;

    private final Expression child;
    private final Object parameter;
    private final scala.collection.immutable.List<Expression> children;

    /** @param parameter compared with {@code equals} when Catalyst compares expressions */
    OneChildExpression(Expression child, Object parameter)
    {
        this.child = requireNonNull(child, "child is null");
        this.parameter = requireNonNull(parameter, "parameter is null");
        this.children = CollectionConverters.asScala(List.of(child)).toList();
    }

    final Expression child()
    {
        return child;
    }

    @Override
    public final scala.collection.immutable.Seq<Expression> children()
    {
        return children;
    }

    @Override
    public final ExprCode doGenCode(CodegenContext context, ExprCode expression)
    {
        return CodegenFallback.super.doGenCode(context, expression);
    }

    @Override
    public final int productArity()
    {
        return 2;
    }

    @Override
    public final Object productElement(int n)
    {
        return switch (n) {
            case 0 -> child;
            case 1 -> parameter;
            default -> throw new IndexOutOfBoundsException("Invalid element: " + n);
        };
    }

    @Override
    public final boolean canEqual(Object that)
    {
        return that != null && that.getClass() == getClass();
    }

    @Override
    public final boolean equals(Object o)
    {
        return o instanceof OneChildExpression that && canEqual(that) && child.equals(that.child) && parameter.equals(that.parameter);
    }

    @Override
    public final int hashCode()
    {
        return child.hashCode() * 31 + parameter.hashCode();
    }
}
