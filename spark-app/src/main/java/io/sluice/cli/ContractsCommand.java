package io.sluice.cli;

import io.sluice.contract.CompatibilityChecker;
import io.sluice.contract.CompatibilityFinding;
import io.sluice.contract.ContractCatalogWriter;
import io.sluice.contract.ContractException;
import io.sluice.contract.ContractLoader;
import io.sluice.contract.ContractRegistry;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code sluice contracts check|docs}: compatibility of contract versions and the Markdown catalog. */
@Command(name = "contracts", mixinStandardHelpOptions = true,
        description = "Check data contracts for breaking changes and generate their catalog.",
        subcommands = {ContractsCommand.Check.class, ContractsCommand.Docs.class})
public final class ContractsCommand
        implements Callable<Integer>
{
    /** Exit code when the contracts cannot be loaded at all. */
    public static final int EXIT_INVALID = 2;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call()
    {
        spec.commandLine().usage(spec.commandLine().getOut());
        return CommandLine.ExitCode.USAGE;
    }

    /** Where the contracts come from: {@code --contracts-dir}, else {@code ./contracts}, else the application's classpath. */
    static final class ContractSource
    {
        @Option(names = "--contracts-dir", paramLabel = "<dir>",
                description = "Directory of contract files (default: ./contracts if it exists, else the contracts packaged in the application).")
        Path directory;

        ContractRegistry load()
        {
            ContractLoader loader = new ContractLoader();
            if (directory != null) {
                return loader.loadDirectory(directory);
            }
            Path local = Path.of(ContractLoader.CLASSPATH_ROOT);
            if (Files.isDirectory(local)) {
                return loader.loadDirectory(local);
            }
            return loader.loadClasspath(ContractsCommand.class.getClassLoader());
        }
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Compare each contract version with its predecessor (Glue BACKWARD rules). Exit 0 when compatible, "
                    + "1 when there are breaking changes (printed one per line), 2 when the contracts cannot be loaded.")
    static final class Check
            implements Callable<Integer>
    {
        @Mixin
        ContractSource source;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call()
        {
            PrintWriter out = spec.commandLine().getOut();
            ContractRegistry registry;
            try {
                registry = source.load();
            }
            catch (ContractException e) {
                spec.commandLine().getErr().println(e.getMessage());
                return EXIT_INVALID;
            }
            List<CompatibilityFinding> breaking = CompatibilityChecker.check(registry).stream().filter(CompatibilityFinding::breaking).toList();
            breaking.forEach(finding -> out.println(finding.describe()));
            if (breaking.isEmpty()) {
                out.println("%d contracts of %d datasets: no breaking changes".formatted(registry.contracts().size(), registry.datasets().size()));
                return CommandLine.ExitCode.OK;
            }
            return 1;
        }
    }

    @Command(name = "docs", mixinStandardHelpOptions = true, description = "Write the Markdown catalog of all contracts.")
    static final class Docs
            implements Callable<Integer>
    {
        @Mixin
        ContractSource source;

        @Option(names = "--output", paramLabel = "<file>", description = "Catalog file to write (default: ${DEFAULT-VALUE}).")
        Path output = ContractCatalogWriter.DEFAULT_OUTPUT;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call()
        {
            ContractRegistry registry;
            try {
                registry = source.load();
            }
            catch (ContractException e) {
                spec.commandLine().getErr().println(e.getMessage());
                return EXIT_INVALID;
            }
            new ContractCatalogWriter().write(registry, output);
            spec.commandLine().getOut().println("Wrote " + output);
            return CommandLine.ExitCode.OK;
        }
    }
}
