package io.sluice.glue;

import io.sluice.contract.Contracts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The entry point runs {@code sluice} in its own JVM, as it does on Glue. {@code contracts check} stands in for the
 * batch commands here because it needs no Spark; GlueEntryPointMaintainTest runs a real maintain.
 */
class GlueEntryPointTest
{
    @Test
    void runsTheCommandInThisJvmAndReturnsOnExitZero()
    {
        assertThatCode(() -> GlueEntryPoint.run(List.of("contracts", "check", "--contracts-dir", Contracts.directory().toString())))
                .doesNotThrowAnyException();
    }

    @Test
    void nonZeroExitFailsTheRunWithSluicesOwnLine(@TempDir Path temp)
            throws IOException
    {
        Path contracts = copyContracts(temp);
        Path v1 = contracts.resolve("tennis.match/v1.json");
        Files.writeString(v1, Files.readString(v1).replace("\"maxLength\": 100", "\"maxLength\": 100, \"const\": \"x\""));

        assertThatThrownBy(() -> GlueEntryPoint.run(List.of("contracts", "check", "--contracts-dir", contracts.toString())))
                .isInstanceOfSatisfying(GlueJobFailedException.class, e -> assertThat(e.exitCode()).isEqualTo(2))
                .hasMessage("sluice contracts exited with 2: Cannot load contract tennis.match/v1.json: unsupported JSON Schema "
                        + "keyword 'const' at /schema/properties/tournament/const");
    }

    @Test
    void badJobArgumentsFailTheRunBeforeAnythingStarts()
    {
        assertThatThrownBy(() -> GlueEntryPoint.main(new String[] {"--JOB_NAME", "sluice-dev-maintain", "--command", "maintain",
                "--retian", "168h"}))
                .isInstanceOfSatisfying(GlueJobFailedException.class, e -> assertThat(e.exitCode()).isEqualTo(2))
                .hasMessageStartingWith("Unknown Glue job argument --retian: Sluice's are --command, --lake,");
    }

    @Test
    void commandLineErrorsOfSluiceAlsoFailTheRun()
    {
        // A subcommand's own option checks (picocli) come back as exit 2 with its one line.
        assertThatThrownBy(() -> GlueEntryPoint.run(List.of("contracts", "check", "--no-such-option")))
                .isInstanceOfSatisfying(GlueJobFailedException.class, e -> assertThat(e.exitCode()).isEqualTo(2))
                .hasMessage("sluice contracts exited with 2: sluice: Unknown option: '--no-such-option'");
    }

    private static Path copyContracts(Path temp)
            throws IOException
    {
        Path target = temp.resolve("contracts");
        try (Stream<Path> files = Files.walk(Contracts.directory())) {
            for (Path source : files.toList()) {
                Path destination = target.resolve(Contracts.directory().relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(destination);
                }
                else {
                    Files.copy(source, destination);
                }
            }
        }
        return target;
    }
}
