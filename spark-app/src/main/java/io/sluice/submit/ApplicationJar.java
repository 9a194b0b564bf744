package io.sluice.submit;

import io.sluice.config.InvalidConfigurationException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The deployable application jar (spark-app's shaded {@code -emr} jar) and its SHA-256. Uploads are named by content,
 * so a job run keeps the exact jar it was started with: an EMR retry of a streaming job hours later does not pick up
 * a jar uploaded since, and uploading the same build twice is a no-op.
 */
public record ApplicationJar(Path file, String sha256)
{
    /** Where the build leaves the jar, relative to the checkout. */
    public static final String BUILD_DIRECTORY = "spark-app/target";
    private static final String BUILD_GLOB = "sluice-spark-app-*-emr.jar";
    private static final int NAME_DIGEST_LENGTH = 16;

    public ApplicationJar
    {
        requireNonNull(file, "file is null");
        requireNonNull(sha256, "sha256 is null");
        if (!sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("Invalid SHA-256: " + sha256);
        }
    }

    /** Reads and hashes {@code file}. */
    public static ApplicationJar of(Path file)
    {
        requireNonNull(file, "file is null");
        if (!Files.isRegularFile(file)) {
            throw new InvalidConfigurationException("Invalid --jar: '%s' (no such file; build it with mvn -pl spark-app -am package -DskipTests)".formatted(file));
        }
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                digest.update(buffer, 0, read);
            }
            return new ApplicationJar(file, HexFormat.of().formatHex(digest.digest()));
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot read the application jar " + file, e);
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("The JDK has no SHA-256", e);
        }
    }

    /** The one {@code sluice-spark-app-*-emr.jar} the build left under {@code home}. */
    public static Path find(Path home)
    {
        requireNonNull(home, "home is null");
        Path directory = home.resolve(BUILD_DIRECTORY);
        List<Path> jars = new ArrayList<>();
        if (Files.isDirectory(directory)) {
            try (DirectoryStream<Path> matches = Files.newDirectoryStream(directory, BUILD_GLOB)) {
                matches.forEach(jars::add);
            }
            catch (IOException e) {
                throw new UncheckedIOException("Cannot list " + directory, e);
            }
        }
        if (jars.size() != 1) {
            throw new InvalidConfigurationException("Missing --jar: %s %s/%s; build it with mvn -pl spark-app -am package -DskipTests, or pass --jar"
                    .formatted(jars.isEmpty() ? "found no" : "found " + jars.size() + " files matching", directory, BUILD_GLOB));
        }
        return jars.get(0);
    }

    /** The object name of the upload: the file's name with the start of its digest, {@code sluice-spark-app-0.1.0-emr-<16 hex>.jar}. */
    public String objectName()
    {
        String name = file.getFileName().toString();
        String stem = name.endsWith(".jar") ? name.substring(0, name.length() - ".jar".length()) : name;
        return stem + "-" + sha256.substring(0, NAME_DIGEST_LENGTH) + ".jar";
    }
}
