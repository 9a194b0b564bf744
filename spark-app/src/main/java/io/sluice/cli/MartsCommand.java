package io.sluice.cli;

import io.sluice.config.SluiceConfig;
import io.sluice.marts.GoldMarts;
import io.sluice.spark.BatchSession;
import io.sluice.lake.Lake;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

@Command(name = "marts", mixinStandardHelpOptions = true,
        description = {"Build the gold marts from silver: player_daily_serves (per player and event date) and match_summary (per match),",
                "under <lake.root>/gold/. Incremental: only players, days and matches with newly ingested silver rows are recomputed,",
                "and only rows that changed are written, so a rerun with nothing new writes nothing."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:the marts are up to date", "1:the run failed", "2:bad command line or configuration"})
final class MartsCommand
        implements Callable<Integer>
{
    @Mixin
    ConfigOptions configOptions;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call()
    {
        SluiceConfig config = configOptions.load();
        PrintWriter out = spec.commandLine().getOut();
        try (BatchSession session = BatchSession.open(config, "sluice-marts")) {
            Lake lake = Lake.of(config);
            lake.createOrEvolveTables(session.spark());
            new GoldMarts(session.spark(), lake, line -> {
                out.println(line);
                out.flush();
            }).build();
            return ExitCodes.OK;
        }
    }
}
