package io.sluice.pipeline;

import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.codegen.Block;
import org.apache.spark.sql.catalyst.expressions.codegen.CodeBlock;
import org.apache.spark.sql.catalyst.expressions.codegen.CodeGenerator;
import org.apache.spark.sql.catalyst.expressions.codegen.CodegenContext;
import org.apache.spark.sql.catalyst.expressions.codegen.ExprCode;
import org.apache.spark.sql.catalyst.expressions.codegen.JavaCode;
import scala.jdk.javaapi.CollectionConverters;

import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import static java.util.Objects.requireNonNull;

/**
 * What Sluice's Catalyst expressions share: one child, one parameter that is not an expression (a reader, a
 * schema), generated code that calls the subclass's {@link #apply} with the child's value, and the tree-node plumbing
 * Catalyst asks of every expression (children, product elements, equality). A subclass says what it computes:
 * {@code apply}, {@code dataType}, {@code nullable}, {@code withNewChildrenInternal} and {@code prettyName}.
 *
 * <p>Why not Spark's {@code CodegenFallback}, which generates the same call through {@code eval}: Spark keeps a
 * Project with such an expression out of whole-stage code generation. It then ran on its own, copying every row
 * (payload and all) into a new buffer per Project, and generating its projection's code again in every task.
 */
abstract class OneChildExpression
        extends Expression
        implements UnaryOperator<Object>, Serializable
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

    /**
     * This expression's value for its child's value, {@code null} for a null result. Public, as the method of a public
     * interface, because the generated code that calls it lives in a package of Spark's.
     *
     * @param childValue the child's value in Spark's internal representation, {@code null} when it is null
     */
    @Override
    public abstract Object apply(Object childValue);

    @Override
    public final Object eval(InternalRow input)
    {
        return apply(child.eval(input));
    }

    @Override
    public final ExprCode doGenCode(CodegenContext context, ExprCode expression)
    {
        ExprCode input = child.genCode(context);
        String self = context.addReferenceObj(prettyName(), this, UnaryOperator.class.getName());
        String result = context.freshName("result");
        Block code = block(
                input.code(),
                "\nObject " + result + " = " + self + ".apply(", input.isNull(), " ? null : (Object) ", input.value(), ");",
                "\nboolean ", expression.isNull(), " = " + result + " == null;",
                "\n" + CodeGenerator.javaType(dataType()) + " ", expression.value(), " = ", expression.isNull(),
                " ? " + CodeGenerator.defaultValue(dataType(), false) + " : (" + CodeGenerator.boxedType(dataType()) + ") " + result + ";");
        return new ExprCode(code, expression.isNull(), expression.value());
    }

    /**
     * Java source from strings and generated values (variables, other blocks), kept apart as Spark's own code
     * interpolator keeps them, so that Spark can still see which values the code uses.
     */
    private static Block block(Object... pieces)
    {
        List<String> parts = new ArrayList<>();
        List<JavaCode> inputs = new ArrayList<>();
        StringBuilder part = new StringBuilder();
        for (Object piece : pieces) {
            if (piece instanceof JavaCode code) {
                parts.add(part.toString());
                part.setLength(0);
                inputs.add(code);
            }
            else {
                part.append((String) piece);
            }
        }
        parts.add(part.toString());
        return new CodeBlock(CollectionConverters.asScala(parts).toList(), CollectionConverters.asScala(inputs).toList());
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
