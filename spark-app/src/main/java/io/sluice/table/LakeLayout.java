package io.sluice.table;

import java.nio.file.Path;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Where each table and checkpoint lives. Local paths are made absolute so that Spark never resolves them against
 * its warehouse directory; URIs ({@code s3a://}, {@code file://}) are kept as written.
 */
public record LakeLayout(String lakeRoot, String checkpointRoot)
{
    public LakeLayout
    {
        lakeRoot = normalize(requireNonNull(lakeRoot, "lakeRoot is null"));
        checkpointRoot = normalize(requireNonNull(checkpointRoot, "checkpointRoot is null"));
    }

    public String bronze(String table)
    {
        return child(lakeRoot, "bronze", table);
    }

    public String silver(String table)
    {
        return child(lakeRoot, "silver", table);
    }

    public String quarantine(String table)
    {
        return child(lakeRoot, "quarantine", table);
    }

    public String audit(String table)
    {
        return child(lakeRoot, "audit", table);
    }

    /**
     * The streaming query's checkpoint: {@code <checkpoint root>/<query name>/v3}. Each earlier layout of the dedup
     * state has a checkpoint of its own, which a query of the current one cannot continue; see
     * {@link #previousCheckpoints(String)}.
     */
    public String checkpoint(String queryName)
    {
        return child(checkpointRoot, queryName, "v3");
    }

    /**
     * A file the running stream rewrites while it is idle, so that "the stream is running" can be told from its files
     * when no batch commits (micro-batches without data are off; see StreamHeartbeat and StreamWriterCheck).
     */
    public String streamHeartbeat(String queryName)
    {
        return child(checkpoint(queryName), "sluice-heartbeat");
    }

    /**
     * Where earlier Sluice versions kept the query's checkpoint, newest first, to migrate from: {@code v2} (a
     * {@code transformWithState} dedup with one timer per id) and the query's directory itself (the first dedup, on
     * {@code flatMapGroupsWithState}).
     */
    public List<String> previousCheckpoints(String queryName)
    {
        return List.of(child(checkpointRoot, queryName, "v2"), child(checkpointRoot, queryName));
    }

    private static String child(String root, String... parts)
    {
        StringBuilder path = new StringBuilder(root);
        for (String part : parts) {
            if (part.isEmpty() || part.contains("/") || part.contains("..")) {
                throw new IllegalArgumentException("Invalid path element: " + part);
            }
            path.append('/').append(part);
        }
        return path.toString();
    }

    private static String normalize(String location)
    {
        String trimmed = location.endsWith("/") ? location.substring(0, location.length() - 1) : location;
        if (trimmed.contains("://")) {
            return trimmed;
        }
        return Path.of(trimmed).toAbsolutePath().normalize().toString();
    }
}
