package io.sluice.backfill;

import io.sluice.produce.ProducedRecord;
import io.sluice.produce.RecordKind;
import io.sluice.lake.Lake;
import io.sluice.testing.ExtensionContextResolver;
import io.sluice.testing.SharedSpark;
import io.sluice.testing.TestLakes;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A contract that is too strict quarantines good events; after the fix, replay moves exactly those into silver and
 * leaves the truly bad records where they were.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(ExtensionContextResolver.class)
final class ReplayTest
{
    private static final Instant DAY = Instant.parse("2026-11-20T00:00:00Z");
    private static final String STRICT_RALLY = "\"rally_length\": { \"type\": \"integer\", \"minimum\": 0, \"maximum\": 10 }";

    private SparkSession spark;

    @BeforeAll
    void start(ExtensionContext context)
    {
        spark = SharedSpark.session(context);
    }

    @Test
    void replayAfterAContractFixMovesExactlyTheRecordsThatNowPass(@TempDir Path directory)
            throws IOException
    {
        List<ProducedRecord> records = Archives.write(directory.resolve("archive"), 2, 3_000, DAY.plus(Duration.ofHours(1)), 1.0, Duration.ofMinutes(1));
        Path contracts = Path.of(System.getProperty("sluice.home", "."), "contracts");
        Path strictContracts = copy(contracts, directory.resolve("strict-contracts"));
        Path point = strictContracts.resolve("tennis.point/v1.json");
        String original = Files.readString(point);
        String strict = original.replace("\"rally_length\": { \"type\": \"integer\", \"minimum\": 0, \"maximum\": 500 }", STRICT_RALLY);
        assertThat(strict).as("the strict contract differs from the real one").isNotEqualTo(original);
        Files.writeString(point, strict);
        Lake strictLake = lake(directory, strictContracts);
        Instant before = Instant.now();
        new Backfill(spark, strictLake, line -> {}, Clock.systemUTC()).run(new BackfillRequest(new TimeRange(DAY, DAY.plus(Duration.ofDays(1))),
                new BackfillSource.JsonLines(directory.resolve("archive").toString()), Set.of(), false, BackfillRequest.DEFAULT_SLICE_RECORDS, false));

        Set<String> goodPoints = TestLakes.expectedSilverIds(records).get("tennis_points");
        Set<String> wronglyQuarantined = new HashSet<>(goodPoints);
        wronglyQuarantined.removeAll(pointIds(strictLake));
        assertThat(wronglyQuarantined).as("the strict contract rejects some good points").isNotEmpty().hasSizeLessThan(goodPoints.size());
        long badRecords = Archives.count(records, RecordKind.Fate.QUARANTINE);
        long quarantineRows = quarantineCount(strictLake, "true");
        assertThat(quarantineRows).isEqualTo(badRecords + wronglyQuarantined.size());

        Lake fixedLake = lake(directory, contracts);
        TimeRange ingested = new TimeRange(before.minus(Duration.ofMinutes(1)), Instant.now().plus(Duration.ofMinutes(1)));
        ReplayResult replay = new QuarantineReplay(spark, fixedLake, line -> {}, Clock.systemUTC()).run(new ReplayRequest(ingested, Set.of(), false));

        assertThat(replay.balanced()).as(replay.summaryLine()).isTrue();
        assertThat(replay.recordsRead()).isEqualTo(quarantineRows);
        assertThat(replay.moved()).isEqualTo(wronglyQuarantined.size());
        assertThat(replay.movedByTable()).containsEntry("tennis_points", (long) wronglyQuarantined.size());
        assertThat(replay.alreadyInSilver()).isZero();
        assertThat(replay.marked()).isEqualTo(wronglyQuarantined.size());
        assertThat(replay.stillFailing()).isEqualTo(badRecords);
        assertThat(pointIds(fixedLake)).isEqualTo(goodPoints);
        assertThat(quarantineCount(fixedLake, "true")).as("nothing deleted").isEqualTo(quarantineRows);
        assertThat(new HashSet<>(spark.read().format("delta").load(fixedLake.tables().quarantine().location()).where("replayed")
                .select("event_id").as(Encoders.STRING()).collectAsList())).isEqualTo(wronglyQuarantined);
        assertThat(quarantineCount(fixedLake, "NOT replayed")).isEqualTo(badRecords);

        ReplayResult again = new QuarantineReplay(spark, fixedLake, line -> {}, Clock.systemUTC()).run(new ReplayRequest(ingested, Set.of(), false));

        assertThat(again.recordsRead()).as("replayed rows are not re-read").isEqualTo(badRecords);
        assertThat(again.moved()).isZero();
        assertThat(again.marked()).isZero();
        assertThat(pointIds(fixedLake)).isEqualTo(goodPoints);
    }

    private Lake lake(Path directory, Path contracts)
    {
        return TestLakes.lake(directory, Map.of(
                "contracts.dir", contracts.toString(),
                "stream.max-record-bytes", "65536",
                "spark.shuffle-partitions", "2"));
    }

    private Set<String> pointIds(Lake lake)
    {
        List<String> ids = spark.read().format("delta").load(lake.tables().silver("tennis_points").location())
                .select("event_id").as(Encoders.STRING()).collectAsList();
        assertThat(ids).doesNotHaveDuplicates();
        return new HashSet<>(ids);
    }

    private long quarantineCount(Lake lake, String condition)
    {
        return spark.read().format("delta").load(lake.tables().quarantine().location()).where(condition).count();
    }

    private static Path copy(Path source, Path target)
            throws IOException
    {
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.toList()) {
                Path destination = target.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(destination);
                }
                else {
                    Files.copy(file, destination);
                }
            }
        }
        return target;
    }
}
