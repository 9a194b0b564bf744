package io.sluice.contract;

import io.sluice.config.ErrorKind;
import io.sluice.config.SluiceError;

import java.util.Collection;

import static java.util.Objects.requireNonNull;

/**
 * A contract file or set of contract files that cannot be used. All messages are built here, so they stay uniform:
 * they name the file (its path relative to the contracts root) and, for schema problems, the JSON pointer inside it.
 */
public final class ContractException
        extends RuntimeException
        implements SluiceError
{
    private ContractException(String message, Throwable cause)
    {
        super(requireNonNull(message, "message is null"), cause);
    }

    static ContractException unreadable(String origin, Throwable cause)
    {
        return new ContractException("Cannot read contract %s: %s".formatted(origin, cause.getMessage()), cause);
    }

    static ContractException invalid(String origin, String pointer, String why)
    {
        return new ContractException("Invalid contract %s at %s: %s".formatted(origin, pointer(pointer), why), null);
    }

    static ContractException unsupportedKeyword(String origin, String pointer, String keyword)
    {
        return new ContractException("Cannot load contract %s: unsupported JSON Schema keyword '%s' at %s"
                .formatted(origin, keyword, pointer(pointer)), null);
    }

    static ContractException unknownKey(String origin, String key, Collection<String> allowed)
    {
        return new ContractException("Invalid contract %s: unknown key '%s' (allowed: %s)".formatted(origin, key, String.join(", ", allowed)), null);
    }

    /**
     * A contract that loads but cannot be used with the tables it is for, e.g. a property named like a column Sluice
     * adds to every silver row; public because those columns are known where the tables are, above this package.
     */
    public static ContractException unusable(String origin, String why)
    {
        return new ContractException("Cannot use contract %s: %s".formatted(requireNonNull(origin, "origin is null"), requireNonNull(why, "why is null")), null);
    }

    static ContractException conflict(String what)
    {
        return new ContractException("Invalid contract set: " + what, null);
    }

    static ContractException notFound(String what)
    {
        return new ContractException("Cannot find contracts: " + what, null);
    }

    /** Contract files are read when a job starts; one that cannot be used fails the job (exit 1), as it always has. */
    @Override
    public ErrorKind kind()
    {
        return ErrorKind.FAILURE;
    }

    private static String pointer(String pointer)
    {
        return pointer.isEmpty() ? "/" : pointer;
    }
}
