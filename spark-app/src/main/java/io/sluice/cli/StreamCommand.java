package io.sluice.cli;

import io.sluice.config.ConfigKeys;
import io.sluice.config.SluiceConfig;
import io.sluice.metrics.CloudWatchPublisher;
import io.sluice.spark.SparkSessions;
import io.sluice.stream.BatchActivity;
import io.sluice.stream.GracefulStop;
import io.sluice.lake.Lake;
import io.sluice.stream.StreamingJob;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;

@Command(name = "stream", mixinStandardHelpOptions = true,
        description = {"Run the streaming ingestion job: Kinesis -> contracts -> dedup -> Delta (bronze, silver, quarantine, audit).",
                "Prints one line per micro-batch. Stops after the current batch on SIGTERM, Ctrl-C or when stream.stop-marker appears."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:stopped on request", "1:the query failed", "2:bad command line or configuration"})
final class StreamCommand
        implements Callable<Integer>
{
    @Mixin
    ConfigOptions configOptions;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call()
            throws Exception
    {
        SluiceConfig config = configOptions.load();
        PrintWriter out = spec.commandLine().getOut();
        SparkSession spark = SparkSessions.builder(config, "sluice-stream").getOrCreate();
        try {
            GracefulStop stop = new GracefulStop(Optional.of(config.value(ConfigKeys.STREAM_STOP_MARKER)), spark.sparkContext().hadoopConfiguration());
            stop.handleSignals();
            BatchActivity activity = new BatchActivity();
            String namespace = config.value(ConfigKeys.METRICS_CLOUDWATCH_NAMESPACE);
            Optional<CloudWatchPublisher> metrics = namespace.isEmpty() ? Optional.empty()
                    : Optional.of(new CloudWatchPublisher(config.value(ConfigKeys.SOURCE_REGION), namespace, config.value(ConfigKeys.SOURCE_STREAM_NAME)));
            StreamingQuery query = new StreamingJob(spark, Lake.of(config)).start(report -> {
                out.println(report.summaryLine());
                out.flush();
                metrics.ifPresent(publisher -> publisher.accept(report));
            }, activity);
            out.printf("sluice stream: query %s reading %s (%s), checkpoint %s%n", query.id(), config.value(ConfigKeys.SOURCE_STREAM_NAME),
                    config.value(ConfigKeys.SOURCE_CONNECTOR).configName(), Lake.of(config).layout().checkpoint(config.value(ConfigKeys.STREAM_QUERY_NAME)));
            out.flush();
            stop.runUntilStopped(query, activity);
            metrics.ifPresent(CloudWatchPublisher::close);
            if (query.exception().isDefined()) {
                spec.commandLine().getErr().println("sluice stream: the query failed: " + SluiceMain.rootMessage(query.exception().get()));
                return ExitCodes.FAILED;
            }
            out.println("sluice stream: stopped after the last complete micro-batch");
            return ExitCodes.OK;
        }
        finally {
            spark.stop();
        }
    }
}
