package io.sluice.cli;

/** The exit codes of every {@code sluice} command; README documents them. */
public final class ExitCodes
{
    public static final int OK = 0;
    /** The work failed: a query died, a stream could not be read, the demo's counts did not add up. */
    public static final int FAILED = 1;
    /** Bad command line or bad configuration: nothing was started. */
    public static final int USAGE = 2;
    /** {@code contracts check} found breaking changes. Same as FAILED, named for readers of scripts. */
    public static final int BREAKING_CHANGES = 1;

    private ExitCodes() {}
}
