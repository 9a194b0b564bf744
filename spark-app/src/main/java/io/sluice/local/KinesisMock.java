package io.sluice.local;

import io.sluice.source.kinesis.KinesisClientSettings;
import io.sluice.source.kinesis.KinesisClients;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.kinesis.model.ResourceInUseException;
import software.amazon.awssdk.services.kinesis.waiters.KinesisWaiter;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * A local Kinesis stand-in run as a child Node process on loopback: npm {@code kinesalite} by default, npm
 * {@code kinesis-local} (kinesis-mock) on request. Used by the local demo, {@code sluice kinesis-mock} and tests;
 * {@link #close()} leaves no process behind. Why kinesalite is the default: docs/decisions.md (D13).
 */
public final class KinesisMock
        implements AutoCloseable
{
    private static final Logger log = LoggerFactory.getLogger(KinesisMock.class);

    public static final String REGION = "us-east-1";
    // Starts kinesalite on 127.0.0.1 and works around its AT_TIMESTAMP gap; see the script for both.
    private static final String KINESALITE_LAUNCHER = "kinesalite-launcher.js";
    private static final int START_ATTEMPTS = 3;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private final Process process;
    private final URI endpoint;
    private final Path logFile;
    private final Kind kind;
    private final KinesisClient client;
    // Set by close(), so that only an exit nobody asked for is reported.
    private final AtomicBoolean closing = new AtomicBoolean();
    // Stops the mock when the JVM exits without close(), e.g. on Ctrl-C in the local demo.
    private final Thread shutdownHook;

    /** The npm packages that can stand in for Kinesis. */
    public enum Kind
    {
        /** npm {@code kinesalite}: fast and flat as it fills; no enhanced fan-out, no UpdateShardCount. The default. */
        KINESALITE("kinesalite", "index.js"),
        /** npm {@code kinesis-local} (kinesis-mock, as in LocalStack): enhanced fan-out and more APIs, but slows as it fills. */
        KINESIS_LOCAL("kinesis-local", "main.js");

        private final String packageName;
        private final String mainFile;

        Kind(String packageName, String mainFile)
        {
            this.packageName = packageName;
            this.mainFile = mainFile;
        }

        public String packageName()
        {
            return packageName;
        }
    }

    private KinesisMock(Kind kind, Process process, URI endpoint, Path logFile, KinesisClient client)
    {
        this.kind = requireNonNull(kind, "kind is null");
        this.process = requireNonNull(process, "process is null");
        this.endpoint = requireNonNull(endpoint, "endpoint is null");
        this.logFile = requireNonNull(logFile, "logFile is null");
        this.client = requireNonNull(client, "client is null");
        this.shutdownHook = new Thread(() -> stop(process), "kinesis-mock-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        // A stand-in that dies while in use would otherwise show up only as "Connection refused" somewhere else.
        process.onExit().thenAccept(exited -> {
            if (!closing.get()) {
                log.error("Kinesis stand-in {} (pid {}) exited with {} while in use; its log {}:\n{}",
                        kind.packageName(), exited.pid(), exited.exitValue(), logFile, tail(logFile));
            }
        });
    }

    /** Starts the default stand-in (kinesalite) installed under {@code sluiceHome/node_modules} on a free port and waits until it answers. */
    public static KinesisMock start(Path sluiceHome)
    {
        return start(sluiceHome, Kind.KINESALITE, OptionalInt.empty());
    }

    /**
     * Starts the default stand-in with its plain-HTTP endpoint on {@code port} (or on a free port when empty), so that separate
     * processes ({@code sluice stream}, {@code sluice produce}) can find it at a known address.
     */
    public static KinesisMock start(Path sluiceHome, OptionalInt port)
    {
        return start(sluiceHome, Kind.KINESALITE, port);
    }

    /** Starts the given stand-in; ready means it answered a ListStreams call. */
    public static KinesisMock start(Path sluiceHome, Kind kind, OptionalInt port)
    {
        requireNonNull(port, "port is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(sluiceHome, "sluiceHome is null");
        Path home = sluiceHome.toAbsolutePath().normalize();
        Path packageDir = home.resolve("node_modules").resolve(kind.packageName);
        Path mainJs = packageDir.resolve(kind.mainFile);
        if (!Files.isRegularFile(mainJs)) {
            throw new IllegalStateException("Cannot start the Kinesis mock: %s not found; run `npm ci` in %s".formatted(mainJs, home));
        }
        Path node = findNode().orElseThrow(() -> new IllegalStateException(
                "Cannot start the Kinesis mock: node not found on PATH; install Node.js 20+ and run `npm ci` in %s".formatted(home)));

        IllegalStateException failure = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            try {
                return startOnce(kind, node, packageDir, port);
            }
            catch (IllegalStateException e) {
                if (port.isPresent()) {
                    throw e;
                }
                // Most likely another process took one of the ports between probing and binding: try new ones.
                log.info("Kinesis mock did not start (attempt {} of {}): {}", attempt, START_ATTEMPTS, e.getMessage());
                if (failure == null) {
                    failure = e;
                }
                else {
                    failure.addSuppressed(e);
                }
            }
        }
        throw failure;
    }

    private static KinesisMock startOnce(Kind kind, Path node, Path packageDir, OptionalInt port)
    {
        int plainPort = port.orElseGet(KinesisMock::freePort);
        if (port.isPresent() && accepts(plainPort)) {
            throw new IllegalStateException("Cannot start the Kinesis mock: port %d is in use (is another mock running?)".formatted(plainPort));
        }
        Path logFile;
        Process process;
        try {
            logFile = Files.createTempFile("sluice-kinesis-mock", ".log");
            ProcessBuilder builder = switch (kind) {
                case KINESALITE -> new ProcessBuilder(node.toString(), "-e", launcherScript(), packageDir.toString(), Integer.toString(plainPort));
                case KINESIS_LOCAL -> kinesisLocal(node, plainPort);
            };
            builder.directory(packageDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(logFile.toFile());
            process = builder.start();
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot start the Kinesis mock: " + e.getMessage(), e);
        }
        URI endpoint = URI.create("http://127.0.0.1:" + plainPort);
        KinesisClient client = KinesisClients.create(KinesisClientSettings.forEndpoint(REGION, endpoint));
        try {
            awaitAnswer(process, client, plainPort, logFile);
        }
        catch (RuntimeException e) {
            client.close();
            stop(process);
            throw e;
        }
        KinesisMock mock = new KinesisMock(kind, process, endpoint, logFile, client);
        log.info("Kinesis stand-in {} listening on {} (pid {}, log {})", kind.packageName(), endpoint, process.pid(), logFile);
        return mock;
    }

    private static String launcherScript()
            throws IOException
    {
        try (InputStream script = KinesisMock.class.getResourceAsStream(KINESALITE_LAUNCHER)) {
            if (script == null) {
                throw new IllegalStateException("Cannot start the Kinesis mock: resource %s missing from the classpath".formatted(KINESALITE_LAUNCHER));
            }
            return new String(script.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static ProcessBuilder kinesisLocal(Path node, int plainPort)
    {
        int tlsPort = freePort();
        while (tlsPort == plainPort) {
            tlsPort = freePort();
        }
        ProcessBuilder builder = new ProcessBuilder(node.toString(), "main.js");
        builder.environment().put("KINESIS_MOCK_PLAIN_PORT", Integer.toString(plainPort));
        builder.environment().put("KINESIS_MOCK_TLS_PORT", Integer.toString(tlsPort));
        builder.environment().put("AWS_REGION", REGION);
        builder.environment().put("LOG_LEVEL", "WARN");
        builder.environment().put("SHOULD_PERSIST_DATA", "false");
        builder.environment().put("LOAD_DATA_IF_EXISTS", "false");
        // The default of 50 shards per account is quickly reached by a test run or a demo that reshards.
        builder.environment().put("SHARD_LIMIT", "1000");
        return builder;
    }

    /**
     * Ready means the stand-in answered an API call. An open port alone proves little: another process may hold the
     * port while ours dies on the clash, and a server may accept connections before it serves requests.
     */
    private static void awaitAnswer(Process process, KinesisClient client, int port, Path logFile)
    {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Cannot start the Kinesis mock: node exited with %d: %s".formatted(process.exitValue(), tail(logFile)));
            }
            try {
                client.listStreams(request -> request.limit(1));
                if (process.isAlive()) {
                    return;
                }
            }
            catch (SdkException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Cannot start the Kinesis mock: port %d not answering after %s (%s): %s"
                            .formatted(port, START_TIMEOUT, e.getMessage(), tail(logFile)));
                }
            }
            pause(Duration.ofMillis(50));
        }
    }

    public Kind kind()
    {
        return kind;
    }

    public URI endpoint()
    {
        return endpoint;
    }

    /** The mock's process, so callers can check that {@link #close()} left nothing running. */
    public ProcessHandle process()
    {
        return process.toHandle();
    }

    public String region()
    {
        return REGION;
    }

    /** Settings to reach the mock, with the SDK's default retries. */
    public KinesisClientSettings clientSettings()
    {
        return KinesisClientSettings.forEndpoint(REGION, endpoint);
    }

    /** Creates a provisioned stream and waits until it is ACTIVE; an existing stream is only waited for. */
    public void createStream(String name, int shards)
    {
        requireNonNull(name, "name is null");
        if (shards < 1) {
            throw new IllegalArgumentException("Invalid shard count: " + shards);
        }
        requireRunning();
        try {
            client.createStream(request -> request.streamName(name).shardCount(shards));
        }
        catch (ResourceInUseException e) {
            log.debug("Stream {} exists already", name);
        }
        awaitActive(name);
    }

    /** Waits until the stream is ACTIVE again, e.g. after a SplitShard or MergeShards. */
    public void awaitActive(String name)
    {
        // The SDK's default waiter polls every 10 s; the mock changes state within a second.
        try (KinesisWaiter waiter = KinesisWaiter.builder()
                .client(client)
                .overrideConfiguration(configuration -> configuration
                        .backoffStrategyV2(BackoffStrategy.fixedDelay(Duration.ofMillis(100)))
                        .waitTimeout(Duration.ofMinutes(1)))
                .build()) {
            waiter.waitUntilStreamExists(request -> request.streamName(name));
        }
    }

    /** Fails with the stand-in's log when its process has exited. */
    public void requireRunning()
    {
        if (!process.isAlive()) {
            throw new IllegalStateException("Kinesis stand-in %s exited with %d; its log %s:%n%s".formatted(
                    kind.packageName(), process.exitValue(), logFile, tail(logFile)));
        }
    }

    @Override
    public void close()
    {
        boolean crashed = !process.isAlive();
        closing.set(true);
        client.close();
        stop(process);
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        }
        catch (IllegalStateException e) {
            // The JVM is shutting down already; the hook stops nothing that is still running.
        }
        if (crashed) {
            // Keep the log of a stand-in that died on its own: it is what explains the failure.
            return;
        }
        try {
            Files.deleteIfExists(logFile);
        }
        catch (IOException e) {
            log.debug("Cannot delete {}", logFile, e);
        }
    }

    private static void stop(Process process)
    {
        // npm wrappers may fork: stop the whole tree, children first so none is orphaned.
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
        catch (InterruptedException e) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static Optional<Path> findNode()
    {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        return Stream.of(path.split(File.pathSeparator))
                .filter(entry -> !entry.isBlank())
                .map(entry -> Path.of(entry, "node"))
                .filter(Files::isExecutable)
                .findFirst();
    }

    private static int freePort()
    {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot find a free port: " + e.getMessage(), e);
        }
    }

    private static boolean accepts(int port)
    {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        }
        catch (IOException e) {
            return false;
        }
    }

    private static String tail(Path file)
    {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            return text.length() <= 2000 ? text : text.substring(text.length() - 2000);
        }
        catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    private static void pause(Duration duration)
    {
        try {
            Thread.sleep(duration.toMillis());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Cannot start the Kinesis mock: interrupted", e);
        }
    }
}
