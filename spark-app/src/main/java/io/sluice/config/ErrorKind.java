package io.sluice.config;

/** What kind of error stopped a command, and so its exit code (README, "Exit codes"). */
public enum ErrorKind
{
    /** Bad command line or configuration: nothing was started. */
    USAGE(2),
    /** The work itself failed. */
    FAILURE(1);

    private final int exitCode;

    ErrorKind(int exitCode)
    {
        this.exitCode = exitCode;
    }

    public int exitCode()
    {
        return exitCode;
    }
}
