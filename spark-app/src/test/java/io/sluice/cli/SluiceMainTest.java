package io.sluice.cli;

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
