package io.sluice.trino;


import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * An unpacked Trino server: {@code lib/} and the Delta Lake connector's plugin directory. The build copies the server
 * archive to {@code spark-app/target/trino/}; the first use unpacks {@code lib/} and {@code plugin/} beside it with GNU
 * tar (the archive holds hard links, which Java's archive readers do not restore, and the Delta Lake plugin's jars are
 * hard links to other plugins' copies, so those must be unpacked too), deletes every plugin but Delta Lake's (the
 * links keep their data), and renames the result into place, so two JVMs starting at once cannot see half a server.
 */
public record TrinoInstallation(Path home, String version)
{
    /** Must match {@code trino.version} in the parent pom (TrinoInstallationTest checks the build fetched it). */
    public static final String VERSION = "476";
    private static final List<String> PARTS = List.of("lib", "plugin");
    private static final String PLUGIN = "delta-lake";

    public TrinoInstallation
    {
        requireNonNull(home, "home is null");
        requireNonNull(version, "version is null");
    }

    public Path lib()
    {
        return home.resolve("lib");
    }

    public Path pluginDirectory()
    {
        return home.resolve("plugin");
    }

    /** The installation under {@code sluiceHome}'s build directory, unpacked now if it is not yet. */
    public static TrinoInstallation locate(Path sluiceHome)
    {
        Path directory = sluiceHome.resolve("spark-app").resolve("target").resolve("trino");
        String name = "trino-server-" + VERSION;
        Path home = directory.resolve(name);
        if (Files.isDirectory(home.resolve("lib"))) {
            return new TrinoInstallation(home, VERSION);
        }
        Path archive = directory.resolve(name + ".tar.gz");
        if (!Files.isRegularFile(archive)) {
            throw new TrinoUnavailableException("Cannot start Trino: %s is missing; build with `mvn -B -pl spark-app -am package -DskipTests` (without -Dsluice.trino.skip) to fetch it"
                    .formatted(archive));
        }
        unpack(archive, name, home);
        return new TrinoInstallation(home, VERSION);
    }

    private static void unpack(Path archive, String name, Path home)
    {
        Path staging = null;
        try {
            staging = Files.createTempDirectory(home.getParent(), ".unpacking-");
            List<String> command = new java.util.ArrayList<>(List.of("tar", "-xzf", archive.toString(), "-C", staging.toString()));
            PARTS.forEach(part -> command.add(name + "/" + part));
            Process tar = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!tar.waitFor(10, TimeUnit.MINUTES) || tar.exitValue() != 0) {
                throw new TrinoUnavailableException("Cannot unpack %s with tar: %s".formatted(archive, output.strip()));
            }
            try (Stream<Path> plugins = Files.list(staging.resolve(name).resolve("plugin"))) {
                for (Path plugin : plugins.filter(plugin -> !plugin.getFileName().toString().equals(PLUGIN)).toList()) {
                    deleteTree(plugin);
                }
            }
            try {
                Files.move(staging.resolve(name), home, StandardCopyOption.ATOMIC_MOVE);
            }
            catch (java.nio.file.FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
                // Another JVM unpacked it first: theirs is as good as ours.
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot unpack " + archive, e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TrinoUnavailableException("Interrupted while unpacking " + archive, e);
        }
        finally {
            if (staging != null) {
                deleteTree(staging);
            }
        }
    }

    static void deleteTree(Path root)
    {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(root)) {
            tree.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
