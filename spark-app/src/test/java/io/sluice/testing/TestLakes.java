package io.sluice.testing;

import io.sluice.config.SluiceConfig;
import io.sluice.lake.Lake;
import io.sluice.produce.ProducedRecord;
import io.sluice.produce.RecordKind;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.SparkSession;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Lakes for tests: one directory holds the tables ({@code lake/}) and the checkpoints ({@code checkpoints/}), as on a
 * laptop; each test adds the settings it is about. And what the generator meant such a lake to hold, checked on
 * whole id sets.
 */
public final class TestLakes
{
    private TestLakes() {}

    /** The default configuration with its lake and checkpoints under {@code directory}, then {@code settings} on top. */
    public static SluiceConfig config(Path directory, Map<String, String> settings)
    {
        requireNonNull(directory, "directory is null");
        requireNonNull(settings, "settings is null");
        Map<String, String> values = new LinkedHashMap<>();
        values.put("lake.root", directory.resolve("lake").toString());
        values.put("lake.checkpoint-root", directory.resolve("checkpoints").toString());
        values.putAll(settings);
        return SluiceConfig.defaults().with(values);
    }

    /** The lake of {@link #config(Path, Map)}. */
    public static Lake lake(Path directory, Map<String, String> settings)
    {
        return Lake.of(config(directory, settings));
    }

    /** The silver table each generated dataset lands in (the contracts' {@code table}). */
    public static String silverTable(String dataset)
    {
        return switch (dataset) {
            case "tennis.serve" -> "tennis_serves";
            case "tennis.point" -> "tennis_points";
            case "tennis.match" -> "tennis_match_status";
            default -> throw new IllegalArgumentException("Unknown dataset: " + dataset);
        };
    }

    /** The event ids the generator meant for silver, by silver table. */
    public static Map<String, Set<String>> expectedSilverIds(List<ProducedRecord> sent)
    {
        Map<String, Set<String>> expected = new HashMap<>();
        for (ProducedRecord record : sent) {
            if (record.kind().fate() == RecordKind.Fate.SILVER) {
                expected.computeIfAbsent(silverTable(record.dataset().orElseThrow()), ignored -> new HashSet<>()).add(record.eventId().orElseThrow());
            }
        }
        return expected;
    }

    /** Each silver table named in {@code expected} holds exactly those event ids, each once. */
    public static void assertSilverIds(SparkSession spark, Lake lake, Map<String, Set<String>> expected)
    {
        for (Map.Entry<String, Set<String>> table : expected.entrySet()) {
            List<String> ids = spark.read().format("delta").load(lake.tables().silver(table.getKey()).location())
                    .select("event_id").as(Encoders.STRING()).collectAsList();
            assertThat(ids).as("no duplicate ids in " + table.getKey()).doesNotHaveDuplicates();
            assertThat(new HashSet<>(ids)).as(table.getKey()).isEqualTo(table.getValue());
        }
    }
}
