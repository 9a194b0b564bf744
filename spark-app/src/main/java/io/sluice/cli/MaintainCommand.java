package io.sluice.cli;

import io.sluice.config.ConfigKeys;
import io.sluice.config.DurationFormat;
import io.sluice.config.SluiceConfig;
import io.sluice.config.UsageException;
import io.sluice.maintain.MaintenanceRequest;
import io.sluice.maintain.TableMaintenance;
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

@Command(name = "maintain", mixinStandardHelpOptions = true,
        description = {"Compact the recent partitions of every table (OPTIMIZE), VACUUM unreferenced files older than the retention, checkpoint and clean the Delta logs.",
                "Safe while the stream runs: compaction never conflicts with its appends, and MERGEs that do conflict retry."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:done", "1:the run failed", "2:bad command line or configuration (nothing was changed)"})
final class MaintainCommand
        implements Callable<Integer>
{
    @Mixin
    ConfigOptions configOptions;

    @Spec
    CommandSpec spec;

    @Option(names = "--recent-days", defaultValue = "2", paramLabel = "N",
            description = "Compact the partitions of the last N days, today included (default: ${DEFAULT-VALUE})")
    int recentDays;

    @Option(names = "--retain", defaultValue = "168h", paramLabel = "DURATION",
            description = "Retention for VACUUM, at least 168h (default: ${DEFAULT-VALUE}). Delta 4.0 applies each table's delta.deletedFileRetentionDuration (7 days) whatever this says")
    String retain;

    @Option(names = "--dry-run", description = "Report what would be compacted and vacuumed; change nothing")
    boolean dryRun;

    @Override
    public Integer call()
    {
        SluiceConfig config = configOptions.load();
        MaintenanceRequest request = new MaintenanceRequest(recentDays, DurationFormat.parse(retain)
                .orElseThrow(() -> new UsageException("Invalid --retain: '%s'; use a duration such as 168h or 7d".formatted(retain))), dryRun,
                config.value(ConfigKeys.MAINTAIN_RAW_RETENTION_DAYS));
        PrintWriter out = spec.commandLine().getOut();
        try (BatchSession session = BatchSession.open(config, "sluice-maintain")) {
            SparkSession spark = session.spark();
            new TableMaintenance(spark, Lake.of(config), line -> {
                out.println(line);
                out.flush();
            }, Clock.systemUTC()).run(request);
            return ExitCodes.OK;
        }
    }
}
