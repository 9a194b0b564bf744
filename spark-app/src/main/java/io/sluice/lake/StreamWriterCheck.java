package io.sluice.lake;

import io.sluice.config.UsageException;

import io.sluice.config.ConfigKeys;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Keeps a batch job (backfill, replay, maintenance) from writing a lake on S3 while the stream does. Delta's default S3
 * log store serializes commits only inside one JVM: two drivers committing the same table version can silently
 * replace each other's commit (docs/guarantees.md, G10). Where commits are exclusive across drivers (a local or HDFS
 * file system, or S3 with a coordinating log store such as S3DynamoDBLogStore), both may write at once.
 *
 * <p>The stream is taken to be running when it showed a sign of life recently: a batch committed to its checkpoint,
 * or, while it is idle (it runs no batch without data), the heartbeat file it rewrites every 30 s
 * ({@code StreamHeartbeat}).
 */
public final class StreamWriterCheck
{
    private static final Set<String> S3_SCHEMES = Set.of("s3", "s3a", "s3n");
    private static final String SINGLE_DRIVER_LOG_STORE = "S3SingleDriverLogStore";
    private static final Duration MINIMUM_WINDOW = Duration.ofMinutes(2);

    private StreamWriterCheck() {}

    public static void checkBatchJobMayWrite(SparkSession spark, Lake lake, String command, Clock clock)
    {
        requireNonNull(spark, "spark is null");
        requireNonNull(lake, "lake is null");
        Optional<String> scheme = Optional.ofNullable(URI.create(lake.layout().lakeRoot()).getScheme()).map(value -> value.toLowerCase(Locale.ROOT));
        if (scheme.isEmpty() || !needsSingleWriter(scheme.get(), spark.conf().getOption("spark.delta.logStore." + scheme.get() + ".impl"))) {
            return;
        }
        String queryName = lake.config().value(ConfigKeys.STREAM_QUERY_NAME);
        String checkpoint = lake.layout().checkpoint(queryName);
        Optional<Instant> committed = lastSignOfLife(checkpoint, lake.layout().streamHeartbeat(queryName), spark.sparkContext().hadoopConfiguration());
        Duration window = max(MINIMUM_WINDOW, lake.config().value(ConfigKeys.STREAM_TRIGGER_INTERVAL).multipliedBy(10));
        if (committed.isPresent() && committed.get().isAfter(clock.instant().minus(window))) {
            throw new UsageException(("Cannot use %s while the stream writes this lake: its checkpoint %s was last active at %s, and "
                    + "Delta's default S3 log store allows one writing driver per table (docs/guarantees.md, G10). Stop the stream "
                    + "(stream.stop-marker, or cancel its job run), run %s, then restart the stream; or give every writer "
                    + "spark.delta.logStore.%s.impl=io.delta.storage.S3DynamoDBLogStore.")
                    .formatted(command, checkpoint, committed.get(), command, scheme.get()));
        }
    }

    /** Whether Delta on this scheme, with this log store setting, allows only one writing driver per table. */
    static boolean needsSingleWriter(String scheme, scala.Option<String> logStore)
    {
        return S3_SCHEMES.contains(scheme) && (logStore.isEmpty() || logStore.get().endsWith(SINGLE_DRIVER_LOG_STORE));
    }

    /** The later of the stream's last batch commit and its last heartbeat, if either exists. */
    static Optional<Instant> lastSignOfLife(String checkpoint, String heartbeat, Configuration hadoop)
    {
        Optional<Instant> committed = lastCommit(checkpoint, hadoop);
        Path file = new Path(heartbeat);
        try {
            FileSystem fileSystem = file.getFileSystem(hadoop);
            if (!fileSystem.exists(file)) {
                return committed;
            }
            Instant beat = Instant.ofEpochMilli(fileSystem.getFileStatus(file).getModificationTime());
            return Optional.of(committed.filter(commit -> commit.isAfter(beat)).orElse(beat));
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot read the stream's heartbeat " + file, e);
        }
    }

    /** When the streaming query with this checkpoint last committed a batch, if it ever did. */
    static Optional<Instant> lastCommit(String checkpoint, Configuration hadoop)
    {
        Path commits = new Path(checkpoint, "commits");
        try {
            FileSystem fileSystem = commits.getFileSystem(hadoop);
            if (!fileSystem.exists(commits)) {
                return Optional.empty();
            }
            long latest = 0;
            for (FileStatus status : fileSystem.listStatus(commits)) {
                latest = Math.max(latest, status.getModificationTime());
            }
            return latest == 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(latest));
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot read the stream's checkpoint " + commits, e);
        }
    }

    private static Duration max(Duration left, Duration right)
    {
        return left.compareTo(right) >= 0 ? left : right;
    }
}
