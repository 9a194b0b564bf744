package io.sluice.marts;

import static java.util.Objects.requireNonNull;

/** What one run did to one mart: keys recomputed from silver, and rows inserted or updated because they differed. */
public record MartRun(String table, long keysRecomputed, long rowsChanged)
{
    public MartRun
    {
        requireNonNull(table, "table is null");
    }

    public String summaryLine()
    {
        return "%s: %,d keys recomputed, %,d rows changed%s".formatted(table, keysRecomputed, rowsChanged, rowsChanged == 0 ? " (no commit)" : "");
    }
}
