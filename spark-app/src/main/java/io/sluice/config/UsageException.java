package io.sluice.config;

import static java.util.Objects.requireNonNull;

/**
 * A bad command line, option value or request: one line that names what was given and what is expected; exit 2.
 * An {@link IllegalArgumentException}, because that is what it is to the code that calls the thrower.
 */
public class UsageException
        extends IllegalArgumentException
        implements SluiceError
{
    public UsageException(String message)
    {
        super(requireNonNull(message, "message is null"));
    }

    public UsageException(String message, Throwable cause)
    {
        super(requireNonNull(message, "message is null"), cause);
    }

    @Override
    public final ErrorKind kind()
    {
        return ErrorKind.USAGE;
    }
}
