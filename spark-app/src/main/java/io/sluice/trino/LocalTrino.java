package io.sluice.trino;


import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * A single-node Trino on loopback, as a child process on its own JDK, with one Delta Lake catalog laid out like Athena's
 * view of the Glue Data Catalog: catalog {@code awsdatacatalog}, schema = the stack's database, tables registered at
 * their lake locations. Read-only use is intended; the file metastore lives in the work directory, never in the lake.
 * {@link #close()} stops the process (and its metastore goes with the work directory the caller owns).
 */
public final class LocalTrino
        implements AutoCloseable
{
    private static final Duration STARTUP_TIMEOUT = Duration.ofMinutes(3);
    private static final String NO_NODES_AVAILABLE = "No nodes available to run query";
    private static final Duration NODE_WAIT = Duration.ofSeconds(60);
    private static final String USER = "sluice";

    private final Process process;
    private final Path log;
    private final int port;
    private final AthenaCatalog catalog;

    private LocalTrino(Process process, Path log, int port, AthenaCatalog catalog)
    {
        this.process = requireNonNull(process, "process is null");
        this.log = requireNonNull(log, "log is null");
        this.port = port;
        this.catalog = requireNonNull(catalog, "catalog is null");
    }

    /**
     * Starts Trino with its configuration under {@code workDirectory} and waits until it answers a query. On failure the
     * process is stopped and the message carries the end of Trino's log.
     */
    public static LocalTrino start(TrinoInstallation installation, TrinoJava java, Path workDirectory, AthenaCatalog catalog)
    {
        requireNonNull(installation, "installation is null");
        requireNonNull(java, "java is null");
        requireNonNull(catalog, "catalog is null");
        Path work = workDirectory.toAbsolutePath();
        int port = freePort();
        Path log = work.resolve("trino.log");
        Process process;
        try {
            Path etc = work.resolve("etc");
            Files.createDirectories(etc.resolve("catalog"));
            Files.createDirectories(work.resolve("metastore"));
            Files.writeString(etc.resolve("config.properties"), serverProperties(installation, work, port));
            Files.writeString(etc.resolve("log.properties"), "io.trino=WARN\nio.airlift=WARN\n");
            Files.writeString(etc.resolve("catalog").resolve(catalog.catalog() + ".properties"), catalogProperties(work));
            List<String> command = new ArrayList<>();
            command.add(java.executable().toString());
            command.addAll(jvmOptions(etc));
            // Read before the configuration file, as Trino's own launcher passes it.
            command.add("-Dnode.data-dir=" + work.resolve("data"));
            command.add("-cp");
            command.add(installation.lib().resolve("*").toString());
            command.add("io.trino.server.TrinoServer");
            process = new ProcessBuilder(command)
                    .directory(work.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
        }
        catch (IOException e) {
            throw new TrinoUnavailableException("Cannot start Trino: " + e.getMessage(), e);
        }
        LocalTrino trino = new LocalTrino(process, log, port, catalog);
        try {
            trino.awaitReady();
            trino.execute("CREATE SCHEMA IF NOT EXISTS %s.%s".formatted(catalog.catalog(), catalog.database()));
            return trino;
        }
        catch (RuntimeException e) {
            trino.close();
            throw e;
        }
    }

    public AthenaCatalog catalog()
    {
        return catalog;
    }

    public String jdbcUrl()
    {
        return "jdbc:trino://127.0.0.1:%d/%s/%s".formatted(port, catalog.catalog(), catalog.database());
    }

    public Path log()
    {
        return log;
    }

    /**
     * Registers an existing Delta table under {@code name} (replacing an earlier registration, so a table recreated at
     * the same location is seen as it is now). {@code location} is a local path; Trino reads it through its local file
     * system, rooted at /.
     */
    public void registerTable(String name, String location)
    {
        requireNonNull(name, "name is null");
        String path = Path.of(location.startsWith("file:") ? java.net.URI.create(location).getPath() : location).toAbsolutePath().toString();
        if (location.contains("://") && !location.startsWith("file:")) {
            throw new IllegalArgumentException("Cannot register %s with the local Trino: %s is not a local path".formatted(name, location));
        }
        execute("CALL %s.system.unregister_table(schema_name => '%s', table_name => '%s')".formatted(catalog.catalog(), catalog.database(), name),
                true);
        execute("CALL %s.system.register_table(schema_name => '%s', table_name => '%s', table_location => '%s')"
                .formatted(catalog.catalog(), catalog.database(), name, "local://" + path.replace("'", "''")));
    }

    public QueryResult query(String sql)
    {
        long deadline = System.nanoTime() + NODE_WAIT.toNanos();
        while (true) {
            try {
                return read(sql);
            }
            catch (SQLException e) {
                if (!lostItsNode(e) || System.nanoTime() > deadline || !process.isAlive()) {
                    throw new TrinoQueryException(sql, e);
                }
            }
            // The query did not start, so asking again is safe; the node list is refreshed every few seconds.
            try {
                process.waitFor(500, TimeUnit.MILLISECONDS);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TrinoUnavailableException("Interrupted while waiting for Trino", e);
            }
        }
    }

    private QueryResult read(String sql)
            throws SQLException
    {
        try (Connection connection = connect(); Statement statement = connection.createStatement(); ResultSet resultSet = statement.executeQuery(sql)) {
            ResultSetMetaData metaData = resultSet.getMetaData();
            List<String> columns = new ArrayList<>();
            for (int i = 1; i <= metaData.getColumnCount(); i++) {
                columns.add(metaData.getColumnLabel(i));
            }
            List<List<Object>> rows = new ArrayList<>();
            while (resultSet.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= columns.size(); i++) {
                    row.add(resultSet.getObject(i));
                }
                rows.add(row);
            }
            return new QueryResult(columns, rows);
        }
    }

    /**
     * Whether the scheduler found no node for the query's catalog: seen in CI right after start-up (the node was
     * already listed as active) and beside CPU-bound Spark tests; Trino's node list catches up by itself.
     */
    private static boolean lostItsNode(SQLException e)
    {
        return e.getMessage() != null && e.getMessage().contains(NO_NODES_AVAILABLE);
    }

    public void execute(String sql)
    {
        execute(sql, false);
    }

    private void execute(String sql, boolean ignoreFailure)
    {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
        catch (SQLException e) {
            if (!ignoreFailure) {
                throw new TrinoQueryException(sql, e);
            }
        }
    }

    private Connection connect()
            throws SQLException
    {
        Properties properties = new Properties();
        properties.setProperty("user", USER);
        return DriverManager.getConnection(jdbcUrl(), properties);
    }

    private void awaitReady()
    {
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        SQLException last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new TrinoUnavailableException("Cannot start Trino: it exited with code %d; end of %s:%n%s".formatted(process.exitValue(), log, tail()));
            }
            try (Connection connection = connect(); Statement statement = connection.createStatement(); ResultSet resultSet = statement.executeQuery(
                    "SELECT count(*) FROM system.runtime.nodes WHERE state = 'active'")) {
                // Answering is not enough: until the node has announced itself, table scans fail with "No nodes available".
                if (resultSet.next() && resultSet.getLong(1) > 0) {
                    return;
                }
            }
            catch (SQLException e) {
                // Not listening yet, or "Trino server is still initializing": both pass.
                last = e;
            }
            try {
                process.waitFor(500, TimeUnit.MILLISECONDS);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TrinoUnavailableException("Interrupted while waiting for Trino", e);
            }
        }
        throw new TrinoUnavailableException("Cannot start Trino: it did not answer within %s (%s); end of %s:%n%s".formatted(
                STARTUP_TIMEOUT, last == null ? "no answer" : last.getMessage(), log, tail()));
    }

    private String tail()
    {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            // A configuration error's list of problems says more than the stack trace after it.
            int errors = -1;
            for (int i = 0; i < lines.size() && errors < 0; i++) {
                errors = lines.get(i).contains("\tERROR\t") ? i : -1;
            }
            int from = errors >= 0 ? errors : Math.max(0, lines.size() - 30);
            return String.join("\n", lines.subList(from, Math.min(lines.size(), from + 30)));
        }
        catch (IOException | UncheckedIOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close()
    {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
        catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static String serverProperties(TrinoInstallation installation, Path work, int port)
    {
        return String.join("\n",
                "coordinator=true",
                "node-scheduler.include-coordinator=true",
                "node.environment=sluice",
                "node.id=" + UUID.randomUUID(),
                // Loopback only: nothing outside this machine can reach it.
                "node.internal-address=127.0.0.1",
                "node.bind-ip=127.0.0.1",
                "http-server.http.port=" + port,
                "discovery.uri=http://127.0.0.1:" + port,
                "plugin.dir=" + installation.pluginDirectory(),
                "catalog.config-dir=" + work.resolve("etc").resolve("catalog"),
                // One node, beside CPU-bound Spark tests: a heartbeat answered late must not mark the only worker failed,
                // which fails every later scan with "No nodes available to run query" (seen in CI).
                "failure-detector.enabled=false",
                "query.max-memory=512MB",
                "query.max-memory-per-node=512MB",
                // The local stand-in answers small queries; fewer threads suit a shared 2-core machine.
                "task.concurrency=2",
                "task.max-worker-threads=4",
                "") ;
    }

    private static String catalogProperties(Path work)
    {
        return String.join("\n",
                "connector.name=delta_lake",
                "hive.metastore=file",
                "hive.metastore.catalog.dir=local://" + work.resolve("metastore"),
                "fs.native-local.enabled=true",
                "local.location=/",
                "delta.register-table-procedure.enabled=true",
                // Athena reads a table's latest version on every query; so must the stand-in, or reruns look stale.
                "delta.metadata.cache-ttl=0s",
                "hive.metastore-cache-ttl=0s",
                "");
    }

    private static List<String> jvmOptions(Path etc)
    {
        return List.of(
                "-Xmx1g",
                "-XX:+UseG1GC",
                "-XX:+ExitOnOutOfMemoryError",
                // C1 only: Trino starts in roughly half the time, and the queries here are small.
                "-XX:TieredStopAtLevel=1",
                "-XX:ReservedCodeCacheSize=256M",
                "-XX:+EnableDynamicAgentLoading",
                "--enable-native-access=ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow",
                "-Djdk.attach.allowAttachSelf=true",
                "-Dfile.encoding=UTF-8",
                "-Dconfig=" + etc.resolve("config.properties"),
                "-Dlog.levels-file=" + etc.resolve("log.properties"));
    }

    private static int freePort()
    {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot find a free loopback port for Trino", e);
        }
    }
}
