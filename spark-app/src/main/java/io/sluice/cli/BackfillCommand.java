package io.sluice.cli;

import io.sluice.backfill.Backfill;
import io.sluice.backfill.BackfillRequest;
import io.sluice.backfill.BackfillResult;
import io.sluice.backfill.BackfillSource;
import io.sluice.config.SluiceConfig;
import io.sluice.spark.BatchSession;
import io.sluice.lake.Lake;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.Callable;

@Command(name = "backfill", mixinStandardHelpOptions = true,
        description = {"Reprocess a time range of raw records through the stream's transformation and merge the result into silver and quarantine.",
                "Idempotent: a second run, or a range the stream already wrote, inserts nothing. Safe beside a running stream (it stays below the stream's watermark).",
                "A record's time is its event time, else its arrival time; unparseable archive lines belong to every range of their files."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:done, every record accounted for", "1:the run failed", "2:bad command line or configuration (nothing was written)"})
final class BackfillCommand
        implements Callable<Integer>
{
    @Mixin
    ConfigOptions configOptions;

    @Mixin
    RangeOptions rangeOptions;

    @Spec
    CommandSpec spec;

    @Option(names = "--source", defaultValue = BackfillSource.RAW_TABLE, paramLabel = "raw-table|PATH",
            description = "raw-table (the lake's bronze table), or a directory, file or s3:// / s3a:// prefix of CloudEvents JSON-lines files, .gz allowed (default: ${DEFAULT-VALUE})")
    String source;

    @Option(names = "--slice-records", defaultValue = "" + BackfillRequest.DEFAULT_SLICE_RECORDS, paramLabel = "N",
            description = "Records per unit of work (whole event-time hours; one MERGE per table each). Default: ${DEFAULT-VALUE}")
    long sliceRecords;

    @Option(names = "--ignore-stream-horizon",
            description = "Allow --to beyond the watermark of the stream writing this lake. Only when no stream will write these event times: its on-time appends do not check silver")
    boolean ignoreStreamHorizon;

    @Override
    public Integer call()
    {
        SluiceConfig config = configOptions.load();
        BackfillRequest request = new BackfillRequest(rangeOptions.range(), BackfillSource.parse(source), rangeOptions.datasets, rangeOptions.dryRun, sliceRecords,
                ignoreStreamHorizon);
        PrintWriter out = spec.commandLine().getOut();
        try (BatchSession session = BatchSession.open(config, "sluice-backfill")) {
            SparkSession spark = session.spark();
            BackfillResult result = new Backfill(spark, Lake.of(config), line -> {
                out.println(line);
                out.flush();
            }, Clock.systemUTC()).run(request);
            out.println("backfill: " + result.summaryLine());
            out.flush();
            return result.balanced() ? ExitCodes.OK : ExitCodes.FAILED;
        }
    }
}
