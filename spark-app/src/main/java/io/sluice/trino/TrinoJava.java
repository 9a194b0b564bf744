package io.sluice.trino;

import io.sluice.config.InvalidConfigurationException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * The JDK that runs Trino. Trino 476 refuses Java older than 24.0.1 while Spark 4.0 runs on 17, so Trino gets its own
 * process and its own JDK: {@value #ENVIRONMENT_VARIABLE} when set, else the newest JDK 24+ in {@value #JVM_DIRECTORY}
 * (where Debian and the Temurin packages install them).
 */
public record TrinoJava(Path home, Runtime.Version version)
{
    public static final String ENVIRONMENT_VARIABLE = "SLUICE_TRINO_JAVA_HOME";
    static final String JVM_DIRECTORY = "/usr/lib/jvm";
    private static final Runtime.Version MINIMUM = Runtime.Version.parse("24.0.1");

    public TrinoJava
    {
        requireNonNull(home, "home is null");
        requireNonNull(version, "version is null");
    }

    public Path executable()
    {
        return home.resolve("bin").resolve("java");
    }

    public static TrinoJava find()
    {
        return find(System.getenv(), Path.of(JVM_DIRECTORY));
    }

    static TrinoJava find(Map<String, String> environment, Path jvmDirectory)
    {
        String override = environment.getOrDefault(ENVIRONMENT_VARIABLE, "");
        if (!override.isBlank()) {
            Path home = Path.of(override);
            Optional<Runtime.Version> version = version(home);
            if (version.isEmpty() || version.get().compareToIgnoreOptional(MINIMUM) < 0) {
                throw new InvalidConfigurationException(ENVIRONMENT_VARIABLE, override,
                        "the home of a JDK %s or newer, with bin/java and a release file; found %s".formatted(MINIMUM,
                                version.map(Runtime.Version::toString).orElse("no JDK")));
            }
            return new TrinoJava(home, version.get());
        }
        List<TrinoJava> candidates;
        try (Stream<Path> homes = Files.isDirectory(jvmDirectory) ? Files.list(jvmDirectory) : Stream.empty()) {
            candidates = homes.flatMap((Path home) -> version(home).map(version -> new TrinoJava(home, version)).stream())
                    .filter(java -> java.version().compareToIgnoreOptional(MINIMUM) >= 0)
                    .sorted((left, right) -> right.version().compareToIgnoreOptional(left.version()))
                    .toList();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (candidates.isEmpty()) {
            throw new TrinoUnavailableException("Cannot start Trino: it needs a JDK %s or newer and none is in %s; install one (e.g. Temurin 25) or set %s"
                    .formatted(MINIMUM, jvmDirectory, ENVIRONMENT_VARIABLE));
        }
        return candidates.get(0);
    }

    /** The version a JDK's {@code release} file states, if {@code home} holds a JDK. Symbolic links count once, as their target. */
    private static Optional<Runtime.Version> version(Path home)
    {
        Path release = home.resolve("release");
        if (!Files.isRegularFile(release) || !Files.isExecutable(home.resolve("bin").resolve("java")) || Files.isSymbolicLink(home)) {
            return Optional.empty();
        }
        Properties properties = new Properties();
        try (var reader = Files.newBufferedReader(release)) {
            properties.load(reader);
        }
        catch (IOException e) {
            return Optional.empty();
        }
        String value = properties.getProperty("JAVA_VERSION", "").replace("\"", "");
        try {
            return value.isEmpty() ? Optional.empty() : Optional.of(Runtime.Version.parse(value));
        }
        catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
