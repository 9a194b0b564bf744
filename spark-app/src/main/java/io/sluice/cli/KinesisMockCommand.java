package io.sluice.cli;

import io.sluice.local.KinesisMock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

@Command(name = "kinesis-mock", mixinStandardHelpOptions = true,
        description = {"Run the local Kinesis stand-in (npm kinesalite) in the foreground on 127.0.0.1 until Ctrl-C.",
                "The default configuration (source.endpoint) points at it, so `sluice produce` and `sluice stream` need no flags."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:stopped", "1:could not start (port in use, node or npm packages missing)", "2:bad command line"})
final class KinesisMockCommand
        implements Callable<Integer>
{
    @Option(names = "--port", defaultValue = "4568", description = "Plain-HTTP port (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--stream", paramLabel = "NAME:SHARDS", defaultValue = "sluice-events:4",
            description = "Stream to create at start; repeatable (default: ${DEFAULT-VALUE})")
    List<String> streams;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call()
            throws InterruptedException
    {
        // Every --stream is checked before the mock starts, so a bad one starts nothing.
        Map<String, Integer> shardsByStream = new LinkedHashMap<>();
        for (String stream : streams) {
            String[] parts = stream.split(":", 2);
            int shards;
            try {
                shards = parts.length == 2 ? Integer.parseInt(parts[1]) : 4;
            }
            catch (NumberFormatException e) {
                shards = 0;
            }
            if (parts[0].isEmpty() || shards < 1) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Invalid --stream: '" + stream + "' (expected NAME:SHARDS, at least 1 shard)");
            }
            shardsByStream.put(parts[0], shards);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        try (KinesisMock mock = KinesisMock.start(SluiceHome.resolve(), OptionalInt.of(port))) {
            for (Map.Entry<String, Integer> stream : shardsByStream.entrySet()) {
                mock.createStream(stream.getKey(), stream.getValue());
                spec.commandLine().getOut().printf("created stream %s with %d shards%n", stream.getKey(), stream.getValue());
            }
            spec.commandLine().getOut().printf("Kinesis mock listening on %s; Ctrl-C to stop%n", mock.endpoint());
            spec.commandLine().getOut().flush();
            sun.misc.Signal.handle(new sun.misc.Signal("INT"), signal -> stopped.countDown());
            sun.misc.Signal.handle(new sun.misc.Signal("TERM"), signal -> stopped.countDown());
            stopped.await();
        }
        return ExitCodes.OK;
    }
}
