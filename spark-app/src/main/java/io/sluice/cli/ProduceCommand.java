package io.sluice.cli;

import io.sluice.config.ConfigKeys;
import io.sluice.config.DurationFormat;
import io.sluice.config.SluiceConfig;
import io.sluice.produce.JsonLinesRecordWriter;
import io.sluice.produce.KinesisRecordWriter;
import io.sluice.produce.Producer;
import io.sluice.produce.RecordKind;
import io.sluice.produce.RecordWriter;
import io.sluice.produce.TennisFeed;
import io.sluice.source.KinesisSource;
import io.sluice.source.kinesis.KinesisClients;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.kinesis.KinesisClient;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

@Command(name = "produce", mixinStandardHelpOptions = true,
        description = {"Send a generated live-tennis feed of CloudEvents to Kinesis (source.stream-name), or write it as JSON lines.",
                "Deterministic for a given --seed and --start-time; duplicates, out-of-order, late and invalid records mixed in as asked."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:all records written", "1:writing failed", "2:bad command line or configuration"})
final class ProduceCommand
        implements Callable<Integer>
{
    @Mixin
    ConfigOptions configOptions;

    @Mixin
    FeedMixin feed;

    @Option(names = "--count", description = "Records to send (default: 10000 unless --duration is given)")
    Long count;

    @Option(names = "--duration", description = "Send for this long, e.g. 60s or 5m")
    String duration;

    @Option(names = "--rate", defaultValue = "1000", description = "Records per second; 0 for as fast as possible (default: ${DEFAULT-VALUE})")
    double rate;

    @Option(names = "--output", paramLabel = "FILE", description = "Write JSON lines to FILE (.gz compresses) instead of Kinesis")
    Path output;

    @Option(names = "--aggregate", description = "Pack the records of each partition key into KPL aggregates of up to 50 KiB, "
            + "as the Kinesis Producer Library does; the stream splits them again")
    boolean aggregate;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call()
    {
        SluiceConfig config = configOptions.load();
        Optional<Duration> limit = Optional.ofNullable(duration).map(text -> DurationFormat.parse(text)
                .orElseThrow(() -> new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "Invalid --duration: '%s' (expected a duration such as 60s or 5m)".formatted(text))));
        if (aggregate && output != null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--aggregate packs Kinesis records and cannot be used with --output %s: drop one of them".formatted(output));
        }
        Optional<Long> records = Optional.ofNullable(count).or(() -> limit.isPresent() ? Optional.empty() : Optional.of(10_000L));
        PrintWriter out = spec.commandLine().getOut();
        String target = output != null ? output.toString() : "Kinesis stream " + config.value(ConfigKeys.SOURCE_STREAM_NAME);
        try (RecordWriter writer = output != null ? new JsonLinesRecordWriter(output) : kinesisWriter(config)) {
            Producer.Summary summary = new Producer(new TennisFeed(feed.options(rate)), writer).run(records, limit, rate, sent -> { });
            out.printf("produced %,d records to %s in %.1f s (%,.0f records/s)%n", summary.total(), target,
                    summary.elapsed().toMillis() / 1000.0, summary.total() * 1000.0 / Math.max(1, summary.elapsed().toMillis()));
            for (Map.Entry<RecordKind, Long> kind : new java.util.TreeMap<>(summary.byKind()).entrySet()) {
                out.printf("  %-26s %,d%n", kind.getKey().name().toLowerCase(java.util.Locale.ROOT), kind.getValue());
            }
        }
        return ExitCodes.OK;
    }

    private KinesisRecordWriter kinesisWriter(SluiceConfig config)
    {
        KinesisClient client = KinesisClients.create(KinesisSource.clientSettings(config));
        String stream = config.value(ConfigKeys.SOURCE_STREAM_NAME);
        return aggregate ? KinesisRecordWriter.aggregating(client, stream) : new KinesisRecordWriter(client, stream);
    }
}
