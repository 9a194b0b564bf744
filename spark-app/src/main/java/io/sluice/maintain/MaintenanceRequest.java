package io.sluice.maintain;

import io.sluice.config.UsageException;

import java.time.Duration;

import static java.util.Objects.requireNonNull;

/**
 * What {@code sluice maintain} does.
 *
 * @param recentDays compact the partitions of the last this many days (by each table's date partition column), where
 *         the stream's small files are; older partitions were compacted by earlier runs
 * @param retention how long VACUUM keeps files that the table no longer references
 * @param rawRetentionDays delete bronze and quarantine rows ingested more than this many days ago; 0 keeps them
 */
public record MaintenanceRequest(int recentDays, Duration retention, boolean dryRun, int rawRetentionDays)
{
    /** The tables' {@code delta.deletedFileRetentionDuration}: a reader or a writer's snapshot may use files this old. */
    public static final Duration SAFE_RETENTION = Duration.ofDays(7);

    public MaintenanceRequest
    {
        requireNonNull(retention, "retention is null");
        if (recentDays < 1) {
            throw new UsageException("Invalid --recent-days: %d; use 1 or more".formatted(recentDays));
        }
        if (retention.compareTo(SAFE_RETENTION) < 0) {
            throw new UsageException(("Invalid --retain: %dh is shorter than the safe minimum of %dh (the tables' "
                    + "delta.deletedFileRetentionDuration): queries and writers still reading an older snapshot would lose files")
                    .formatted(retention.toHours(), SAFE_RETENTION.toHours()));
        }
        if (rawRetentionDays < 0) {
            throw new UsageException("Invalid raw retention: %d days; use 0 (keep) or more".formatted(rawRetentionDays));
        }
    }

    /** Without the raw-data retention step. */
    public MaintenanceRequest(int recentDays, Duration retention, boolean dryRun)
    {
        this(recentDays, retention, dryRun, 0);
    }
}
