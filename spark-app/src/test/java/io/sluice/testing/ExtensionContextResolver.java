package io.sluice.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Lets lifecycle methods take an {@link ExtensionContext} parameter, which JUnit does not inject by itself:
 * {@code @ExtendWith(ExtensionContextResolver.class)} then {@code @BeforeAll static void setUp(ExtensionContext ctx)}
 * to call {@link SharedSpark#session(ExtensionContext)}.
 */
public final class ExtensionContextResolver
        implements ParameterResolver
{
    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext)
    {
        return parameterContext.getParameter().getType() == ExtensionContext.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext)
    {
        return extensionContext;
    }
}
