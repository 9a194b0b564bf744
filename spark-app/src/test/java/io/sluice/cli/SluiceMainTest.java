package io.sluice.cli;

import io.sluice.config.InvalidConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

final class SluiceMainTest
{
    private record Result(int exitCode, String out, String err) {}

    private static Result run(String... args)
    {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = SluiceMain.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        return new Result(exitCode, out.toString(), err.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"stream", "backfill", "replay", "maintain", "submit", "produce", "sql", "demo", "kinesis-mock", "contracts"})
    void everySubcommandPrintsUsage(String command)
    {
        Result result = run(command, "--help");
        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).startsWith("Usage: sluice " + command);
        assertThat(result.err()).isEmpty();
    }

    @Test
    void topLevelHelpListsTheCommandsAndExitCodes()
    {
        Result result = run("--help");
        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("stream", "produce", "sql", "demo", "kinesis-mock", "contracts", "Exit codes:");
    }

    @Test
    void badConfigurationValueExitsTwoWithOneLineNamingTheKey()
    {
        Result result = run("stream", "--set", "stream.watermark-delay=soon");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("sluice: Invalid configuration value for 'stream.watermark-delay': 'soon' "
                + "(expected a duration such as 500ms, 10s, 5m or 1h, at least 1s), from --set" + System.lineSeparator());
        assertThat(result.out()).isEmpty();
    }

    @Test
    void unknownConfigurationKeyExitsTwo()
    {
        Result result = run("sql", "--set", "lake.rot=/tmp/lake", "SELECT 1");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("sluice: Unknown configuration key 'lake.rot' in --set; did you mean 'lake.root'?" + System.lineSeparator());
    }

    @Test
    void unknownOptionExitsTwoWithAHint()
    {
        Result result = run("produce", "--bogus");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("sluice: Unknown option: '--bogus'", "Try 'sluice produce --help'.");
    }

    @Test
    void aRangeThatEndsBeforeItStartsExitsTwoBeforeAnythingStarts()
    {
        Result result = run("backfill", "--from", "2026-11-21", "--to", "2026-11-20");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("sluice: Invalid time range: --from 2026-11-21T00:00:00Z is not before --to 2026-11-20T00:00:00Z"
                + System.lineSeparator());
    }

    @Test
    void anUnreadableTimeExitsTwoNamingTheOption()
    {
        Result result = run("replay", "--from", "yesterday", "--to", "2026-11-20");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--from", "'yesterday' is not a date-time such as 2026-11-20T06:00:00Z or a UTC date such as 2026-11-20");
    }

    @Test
    void anUnsafeVacuumRetentionExitsTwo()
    {
        Result result = run("maintain", "--retain", "24h");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).startsWith("sluice: Invalid --retain: 24h is shorter than the safe minimum of 168h");
    }

    @Test
    void badOptionValueExitsTwo()
    {
        Result result = run("produce", "--duration", "forever", "--output", "target/never.jsonl");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("Invalid --duration: 'forever'");
    }

    @Test
    void aggregatingIntoAFileExitsTwo()
    {
        Result result = run("produce", "--aggregate", "--output", "target/never.jsonl");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).startsWith("sluice: --aggregate packs Kinesis records and cannot be used with --output target/never.jsonl: drop one of them");
        assertThat(java.nio.file.Path.of("target/never.jsonl")).doesNotExist();
    }

    @Test
    void aBadConfigurationValueTheSourceWouldRefuseExitsTwoNamingTheKey()
    {
        Result result = run("produce", "--set", "source.stream-name=my stream", "--count", "1");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("sluice: Invalid configuration value for 'source.stream-name': 'my stream' "
                + "(expected a Kinesis stream name: 1 to 128 characters of a-z, A-Z, 0-9, _ . -), from --set" + System.lineSeparator());
    }

    @Test
    void aQueryNameThatLeavesTheCheckpointRootExitsTwo()
    {
        Result result = run("stream", "--set", "stream.query-name=../other");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("sluice: Invalid configuration value for 'stream.query-name': '../other' "
                + "(expected a name without / or .. (it names the checkpoint directory)), from --set" + System.lineSeparator());
    }

    @Test
    void anUnknownSqlEngineExitsTwoBeforeAnythingStarts()
    {
        Result result = run("sql", "--engine", "presto", "SELECT 1");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("sluice: Invalid --engine: 'presto' (expected spark or trino)" + System.lineSeparator());
    }

    @Test
    void theLocalTrinoRefusesARemoteLakeBeforeItStarts()
    {
        Result result = run("sql", "--engine", "trino", "--set", "lake.root=s3a://bucket/lake", "SELECT 1");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("sluice: Invalid configuration value for 'lake.root': 's3a://bucket/lake' (expected a local directory "
                + "with --engine trino; query an s3a:// lake with Athena, or with --engine spark)" + System.lineSeparator());
    }

    @Test
    void badBatchOptionsExitTwo()
    {
        Result recentDays = run("maintain", "--recent-days", "0");
        assertThat(recentDays.exitCode()).isEqualTo(2);
        assertThat(recentDays.err()).isEqualTo("sluice: Invalid --recent-days: 0; use 1 or more" + System.lineSeparator());

        Result sliceRecords = run("backfill", "--from", "2026-11-20", "--to", "2026-11-21", "--slice-records", "0");
        assertThat(sliceRecords.exitCode()).isEqualTo(2);
        assertThat(sliceRecords.err()).isEqualTo("sluice: Invalid --slice-records: 0; use a positive number of records" + System.lineSeparator());

        Result source = run("backfill", "--from", "2026-11-20", "--to", "2026-11-21", "--source", " ");
        assertThat(source.exitCode()).isEqualTo(2);
        assertThat(source.err()).isEqualTo("sluice: Invalid --source: empty; use raw-table or a path or s3:// prefix of JSON-lines files"
                + System.lineSeparator());
    }

    @Test
    void aKinesisMockStreamWithoutShardsExitsTwo()
    {
        Result result = run("kinesis-mock", "--stream", "events:0");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("sluice: Invalid --stream: 'events:0' (expected NAME:SHARDS, at least 1 shard)");
    }

    @Test
    void aFailureNamesTheErrorSluiceRaisedWhereverItIsWrapped()
    {
        Throwable wrapped = new RuntimeException("Cannot run batch 3: job aborted",
                new IllegalStateException("task failed", new InvalidConfigurationException("lake.root", "x", "y")));
        assertThat(SluiceMain.rootMessage(wrapped)).isEqualTo("Invalid configuration value for 'lake.root': 'x' (expected y)");
        assertThat(SluiceMain.rootMessage(new RuntimeException("wrapper", new IllegalStateException("Cannot read shard: gone"))))
                .isEqualTo("Cannot read shard: gone");
    }

    @Test
    void produceWritesJsonLines(@org.junit.jupiter.api.io.TempDir java.nio.file.Path directory)
            throws java.io.IOException
    {
        java.nio.file.Path file = directory.resolve("events.jsonl");
        Result result = run("produce", "--count", "500", "--rate", "0", "--seed", "3", "--start-time", "2026-11-21T10:00:00Z",
                "--output", file.toString());
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).startsWith("produced 500 records to " + file);
        assertThat(java.nio.file.Files.readAllLines(file)).hasSize(500);
    }
}
