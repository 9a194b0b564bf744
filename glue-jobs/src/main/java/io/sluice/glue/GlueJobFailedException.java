package io.sluice.glue;

/**
 * A Glue job run that must be marked failed: its arguments were bad (exit code 2) or the {@code sluice} command
 * exited non-zero. The message is one line, the one Glue shows as the run's error.
 */
public final class GlueJobFailedException
        extends RuntimeException
{
    private final int exitCode;

    public GlueJobFailedException(int exitCode, String message, Throwable cause)
    {
        super(message, cause);
        if (exitCode == 0) {
            throw new IllegalArgumentException("A failed run has a non-zero exit code");
        }
        this.exitCode = exitCode;
    }

    /** The exit code {@code sluice} would have ended a process with (see io.sluice.cli.ExitCodes). */
    public int exitCode()
    {
        return exitCode;
    }
}
