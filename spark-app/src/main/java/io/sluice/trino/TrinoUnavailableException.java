package io.sluice.trino;

/** Trino cannot run here (no suitable JDK, no server archive, or it did not come up). The message says why and what to do. */
public final class TrinoUnavailableException
        extends RuntimeException
{
    public TrinoUnavailableException(String message)
    {
        super(message);
    }

    public TrinoUnavailableException(String message, Throwable cause)
    {
        super(message, cause);
    }
}
