package io.sluice.sink;

import io.delta.tables.DeltaTable;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.col;

/**
 * Which batches of a writer a table already holds, decided without replaying the Delta log.
 *
 * <p>Every write Sluice makes carries a marker, {@code sluice-commit <appId> <version>}, in the commit's
 * {@code userMetadata}: it is part of the commit file, so it is committed atomically with the data. Delta's own
 * idempotent-writer option ({@code txnAppId}) does the same with a {@code SetTransaction} action, but checking it
 * costs a state reconstruction (three Spark jobs over the log) per table per batch, because every batch makes a new
 * table version. Here the table's history is read once per table and writer, when the writer first meets the table,
 * back to {@code notBefore} (no commit older than that can be this writer's); after that, the writer's own commits
 * keep the answer current. That is correct because one writer id is used by one process at a time (one query run).
 */
public final class CommitMarkers
{
    static final String PREFIX = "sluice-commit ";
    private static final int FIRST_PAGE = 100;

    private final SparkSession spark;
    private final Instant notBefore;
    /** (table location, appId) to the highest version committed; -1 when none. */
    private final Map<Key, Long> committed = new ConcurrentHashMap<>();

    /**
     * @param notBefore no commit of this writer can be older than this (the query's checkpoint was created, or the
     *         run started, at or after it)
     */
    public CommitMarkers(SparkSession spark, Instant notBefore)
    {
        this.spark = requireNonNull(spark, "spark is null");
        this.notBefore = requireNonNull(notBefore, "notBefore is null");
    }

    /** Whether the table already holds version {@code version} (or a later one) of writer {@code appId}. */
    public boolean isCommitted(String location, String appId, long version)
    {
        return committed.computeIfAbsent(new Key(location, appId), key -> scan(key).orElse(-1)) >= version;
    }

    /** Records that this writer committed {@code version} to the table. */
    public void recordCommitted(String location, String appId, long version)
    {
        committed.merge(new Key(location, appId), version, Math::max);
    }

    /** The text a commit of {@code version} of writer {@code appId} carries. */
    public static String marker(String appId, long version)
    {
        requireNonNull(appId, "appId is null");
        if (appId.contains(" ")) {
            throw new IllegalArgumentException("Invalid writer id: '%s' (contains a space)".formatted(appId));
        }
        return PREFIX + appId + " " + version;
    }

    /** The highest version of the writer among the table's commits since {@link #notBefore}, newest first, in growing pages. */
    private OptionalLong scan(Key key)
    {
        if (!DeltaTable.isDeltaTable(spark, key.location())) {
            return OptionalLong.empty();
        }
        DeltaTable table = DeltaTable.forPath(spark, key.location());
        String prefix = PREFIX + key.appId() + " ";
        int page = FIRST_PAGE;
        while (true) {
            List<Row> commits = table.history(page).select(col("timestamp"), col("userMetadata")).collectAsList();
            OptionalLong found = OptionalLong.empty();
            boolean reachedBound = false;
            for (Row commit : commits) {
                Timestamp time = commit.getTimestamp(0);
                if (time != null && time.toInstant().isBefore(notBefore)) {
                    reachedBound = true;
                    continue;
                }
                Optional<Long> version = versionIn(commit.isNullAt(1) ? null : commit.getString(1), prefix);
                if (version.isPresent() && (found.isEmpty() || version.get() > found.getAsLong())) {
                    found = OptionalLong.of(version.get());
                }
            }
            // Batches of one writer commit in order, so its newest marker is its highest: stop at the first page that
            // holds one, or that reaches back past the bound or the table's first commit.
            if (found.isPresent() || reachedBound || commits.size() < page) {
                return found;
            }
            page *= 10;
        }
    }

    private static Optional<Long> versionIn(String userMetadata, String prefix)
    {
        if (userMetadata == null || !userMetadata.startsWith(prefix)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(userMetadata.substring(prefix.length()).trim()));
        }
        catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private record Key(String location, String appId)
    {
        Key
        {
            requireNonNull(location, "location is null");
            requireNonNull(appId, "appId is null");
        }
    }
}
