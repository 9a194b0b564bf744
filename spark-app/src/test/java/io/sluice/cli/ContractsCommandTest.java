package io.sluice.cli;

import io.sluice.contract.ContractCatalogWriter;
import io.sluice.contract.Contracts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class ContractsCommandTest
{
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void checkPassesOnTheCheckedInContracts()
    {
        assertThat(run("check", "--contracts-dir", Contracts.directory().toString())).isEqualTo(0);
        assertThat(out.toString()).isEqualTo("4 contracts of 3 datasets: no breaking changes\n");
    }

    @Test
    void checkFailsOnBreakingChangesPrintingOnePerLine(@TempDir Path temp)
            throws IOException
    {
        Path contracts = copyContracts(temp);
        Path v2 = contracts.resolve("tennis.serve/v2.json");
        Files.writeString(v2, Files.readString(v2)
                .replace("\"let\"", "\"lets\"")
                .replace("\"maximum\": 270", "\"maximum\": 250"));

        assertThat(run("check", "--contracts-dir", contracts.toString())).isEqualTo(1);
        assertThat(out.toString().lines()).containsExactly(
                "BREAKING tennis.serve v2 data.speed_kmh BOUNDS_TIGHTENED: maximum changed from 270 to 250",
                "BREAKING tennis.serve v2 data.outcome ENUM_NARROWED: values removed: [let]");
    }

    @Test
    void checkReportsContractsThatCannotBeLoaded(@TempDir Path temp)
            throws IOException
    {
        Path contracts = copyContracts(temp);
        Path v1 = contracts.resolve("tennis.match/v1.json");
        Files.writeString(v1, Files.readString(v1).replace("\"maxLength\": 100", "\"maxLength\": 100, \"const\": \"x\""));

        assertThat(run("check", "--contracts-dir", contracts.toString())).isEqualTo(ContractsCommand.EXIT_INVALID);
        assertThat(err.toString()).isEqualTo(
                "Cannot load contract tennis.match/v1.json: unsupported JSON Schema keyword 'const' at /schema/properties/tournament/const\n");
    }

    @Test
    void docsWritesTheCatalog(@TempDir Path temp)
            throws IOException
    {
        Path output = temp.resolve("out/catalog.md");

        assertThat(run("docs", "--contracts-dir", Contracts.directory().toString(), "--output", output.toString())).isEqualTo(0);
        assertThat(out.toString()).isEqualTo("Wrote " + output + "\n");
        assertThat(Files.readString(output, StandardCharsets.UTF_8)).isEqualTo(new ContractCatalogWriter().render(Contracts.registry()));
    }

    @Test
    void withoutSubcommandPrintsUsage()
    {
        assertThat(run()).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(out.toString()).contains("Usage: contracts", "check", "docs");
    }

    private int run(String... args)
    {
        return new CommandLine(new ContractsCommand())
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(args);
    }

    private static Path copyContracts(Path temp)
            throws IOException
    {
        Path target = temp.resolve("contracts");
        try (Stream<Path> files = Files.walk(Contracts.directory())) {
            for (Path file : files.toList()) {
                Path copy = target.resolve(Contracts.directory().relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(copy);
                }
                else {
                    Files.copy(file, copy);
                }
            }
        }
        return target;
    }
}
