package io.sluice.lake;


import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import static org.assertj.core.api.Assertions.assertThat;

final class StreamWriterCheckTest
{
    @Test
    void onlyS3WithTheSingleDriverLogStoreNeedsOneWriter()
    {
        assertThat(StreamWriterCheck.needsSingleWriter("s3a", scala.Option.empty())).isTrue();
        assertThat(StreamWriterCheck.needsSingleWriter("s3", scala.Option.apply("io.delta.storage.S3SingleDriverLogStore"))).isTrue();
        assertThat(StreamWriterCheck.needsSingleWriter("s3a", scala.Option.apply("io.delta.storage.S3DynamoDBLogStore"))).isFalse();
        assertThat(StreamWriterCheck.needsSingleWriter("file", scala.Option.empty())).isFalse();
        assertThat(StreamWriterCheck.needsSingleWriter("hdfs", scala.Option.empty())).isFalse();
    }

    @Test
    void theLastCommitIsTheNewestFileOfTheCheckpointsCommitLog(@TempDir Path checkpoint)
            throws IOException
    {
        assertThat(StreamWriterCheck.lastCommit(checkpoint.toString(), new Configuration())).isEmpty();

        Path commits = Files.createDirectories(checkpoint.resolve("commits"));
        Instant newest = Instant.parse("2026-11-21T09:00:00Z");
        Files.setLastModifiedTime(Files.writeString(commits.resolve("0"), "v1"), FileTime.from(newest.minus(1, ChronoUnit.MINUTES)));
        Files.setLastModifiedTime(Files.writeString(commits.resolve("1"), "v1"), FileTime.from(newest));

        assertThat(StreamWriterCheck.lastCommit(checkpoint.toString(), new Configuration())).contains(newest);
    }

    @Test
    void theLastSignOfLifeIsTheLaterOfTheLastCommitAndTheHeartbeat(@TempDir Path checkpoint)
            throws IOException
    {
        Path heartbeat = checkpoint.resolve("sluice-heartbeat");
        assertThat(StreamWriterCheck.lastSignOfLife(checkpoint.toString(), heartbeat.toString(), new Configuration())).isEmpty();

        Instant commit = Instant.parse("2026-11-21T09:00:00Z");
        Path commits = Files.createDirectories(checkpoint.resolve("commits"));
        Files.setLastModifiedTime(Files.writeString(commits.resolve("0"), "v1"), FileTime.from(commit));
        assertThat(StreamWriterCheck.lastSignOfLife(checkpoint.toString(), heartbeat.toString(), new Configuration())).contains(commit);

        // An idle stream commits nothing but keeps beating.
        Instant beat = commit.plus(10, ChronoUnit.MINUTES);
        Files.setLastModifiedTime(Files.writeString(heartbeat, ""), FileTime.from(beat));
        assertThat(StreamWriterCheck.lastSignOfLife(checkpoint.toString(), heartbeat.toString(), new Configuration())).contains(beat);

        // A batch after the last beat.
        Instant later = beat.plus(5, ChronoUnit.SECONDS);
        Files.setLastModifiedTime(Files.writeString(commits.resolve("1"), "v1"), FileTime.from(later));
        assertThat(StreamWriterCheck.lastSignOfLife(checkpoint.toString(), heartbeat.toString(), new Configuration())).contains(later);
    }
}
