package io.sluice.trino;

import java.sql.SQLException;

/** A statement Trino refused or failed; the message is Trino's, with the statement's first line. */
public final class TrinoQueryException
        extends RuntimeException
{
    public TrinoQueryException(String sql, SQLException cause)
    {
        super("Trino query failed: %s [%s]".formatted(cause.getMessage(), sql.strip().lines().findFirst().orElse("")), cause);
    }
}
