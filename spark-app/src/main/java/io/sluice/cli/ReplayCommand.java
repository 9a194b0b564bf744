package io.sluice.cli;

import io.sluice.backfill.QuarantineReplay;
import io.sluice.backfill.ReplayRequest;
import io.sluice.backfill.ReplayResult;
import io.sluice.config.SluiceConfig;
import io.sluice.spark.BatchSession;
import io.sluice.lake.Lake;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.Callable;

@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Re-validate quarantined records against the current contracts (e.g. after a contract fix) and move those that now pass into silver.",
                "The range is of the quarantine rows' ingest time. Nothing is deleted: moved records stay in quarantine marked replayed = true;",
                "records that still fail stay as they were."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:done", "1:the run failed", "2:bad command line or configuration (nothing was written)"})
final class ReplayCommand
        implements Callable<Integer>
{
    @Mixin
    ConfigOptions configOptions;

    @Mixin
    RangeOptions rangeOptions;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call()
    {
        SluiceConfig config = configOptions.load();
        ReplayRequest request = new ReplayRequest(rangeOptions.range(), rangeOptions.datasets, rangeOptions.dryRun);
        PrintWriter out = spec.commandLine().getOut();
        try (BatchSession session = BatchSession.open(config, "sluice-replay")) {
            SparkSession spark = session.spark();
            ReplayResult result = new QuarantineReplay(spark, Lake.of(config), line -> {
                out.println(line);
                out.flush();
            }, Clock.systemUTC()).run(request);
            out.println("replay: " + result.summaryLine());
            out.flush();
            return result.balanced() ? ExitCodes.OK : ExitCodes.FAILED;
        }
    }
}
