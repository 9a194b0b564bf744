package io.sluice.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's demo command as a user runs it: {@code bin/sluice demo}, in its own JVM, through the launcher.
 * Runs after packaging (failsafe), so the launcher finds the built jar and does not rebuild.
 */
final class DemoIT
{
    @Test
    void demoAccountsForEveryRecordAndLeavesNoProcessBehind()
            throws IOException, InterruptedException
    {
        Path home = Path.of(System.getProperty("sluice.home", "..")).toAbsolutePath().normalize();
        Path workdir = home.resolve("spark-app/target/demo-it");
        Path output = Files.createTempFile("sluice-demo", ".out");
        java.time.Instant started = java.time.Instant.now();
        Process demo = new ProcessBuilder(List.of(home.resolve("bin/sluice").toString(), "demo", "--events", "3000", "--rate", "1500",
                "--workdir", workdir.toString()))
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        boolean finished = demo.waitFor(8, TimeUnit.MINUTES);
        if (!finished) {
            demo.descendants().forEach(ProcessHandle::destroyForcibly);
            demo.destroyForcibly();
        }
        String printed = Files.readString(output, StandardCharsets.UTF_8);
        assertThat(finished).as(printed).isTrue();
        assertThat(demo.exitValue()).as(printed).isZero();
        assertThat(printed).contains("Rows per table:", "[balanced]", "[every record where it belongs]", "Quarantine by reason:",
                "Fastest serves per player");
        // The console is Sluice's: Spark's, Hadoop's and Delta's warnings only come with --verbose or SLUICE_DEBUG.
        assertThat(printed.lines().filter(line -> line.matches("\\d\\d:\\d\\d:\\d\\d WARN .*"))).as(printed).isEmpty();
        // The demo's Kinesis stand-in is a node process running this checkout's kinesalite; once the demo has exited,
        // none started after this test may remain (other checkouts' mocks on the same machine are not the demo's).
        String mock = home.resolve("node_modules").toString();
        List<String> leftovers = ProcessHandle.allProcesses()
                .filter(process -> process.info().startInstant().map(instant -> instant.isAfter(started)).orElse(false))
                .filter(process -> process.info().commandLine().map(command -> command.contains(mock) && (command.contains("kinesalite") || command.contains("main.js"))).orElse(false))
                .map(process -> process.pid() + " " + process.info().commandLine().orElse(""))
                .toList();
        assertThat(leftovers).as("processes left running").isEmpty();
    }
}
