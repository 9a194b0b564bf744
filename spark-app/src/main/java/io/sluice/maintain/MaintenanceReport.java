package io.sluice.maintain;

import static java.util.Objects.requireNonNull;

/**
 * What maintenance did to one table.
 *
 * @param filesBefore data files in the recent partitions before compaction
 * @param filesAfter the same after compaction (equal in a dry run)
 * @param vacuumable files VACUUM deleted (would delete, in a dry run)
 * @param logFilesBefore files in {@code _delta_log} before the log clean-up
 */
public record MaintenanceReport(String table, long filesBefore, long filesAfter, long bytesAfter, long vacuumable, long logFilesBefore,
        long logFilesAfter)
{
    public MaintenanceReport
    {
        requireNonNull(table, "table is null");
    }

    public String summaryLine()
    {
        return "%s: recent partitions %,d -> %,d files (%,d bytes) | vacuum %,d unreferenced files | log %,d -> %,d files".formatted(
                table, filesBefore, filesAfter, bytesAfter, vacuumable, logFilesBefore, logFilesAfter);
    }
}
