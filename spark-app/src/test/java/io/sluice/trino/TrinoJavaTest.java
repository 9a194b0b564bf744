package io.sluice.trino;

import io.sluice.config.InvalidConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class TrinoJavaTest
{
    @Test
    void theNewestJdkOf24OrLaterInTheJvmDirectoryIsChosen(@TempDir Path jvms)
            throws IOException
    {
        jdk(jvms.resolve("java-17-openjdk-amd64"), "17.0.15");
        jdk(jvms.resolve("temurin-24-jdk-amd64"), "24.0.1");
        jdk(jvms.resolve("temurin-25-jdk-amd64"), "25.0.3");
        jdk(jvms.resolve("temurin-24.0.0"), "24");

        TrinoJava java = TrinoJava.find(Map.of(), jvms);

        assertThat(java.home()).isEqualTo(jvms.resolve("temurin-25-jdk-amd64"));
        assertThat(java.version()).hasToString("25.0.3");
        assertThat(java.executable()).isEqualTo(jvms.resolve("temurin-25-jdk-amd64/bin/java"));
    }

    @Test
    void theEnvironmentVariableWinsAndATooOldJdkThereIsABadConfiguration(@TempDir Path jvms)
            throws IOException
    {
        Path old = jdk(jvms.resolve("old"), "17.0.15");
        Path good = jdk(jvms.resolve("good"), "24.0.2");

        assertThat(TrinoJava.find(Map.of(TrinoJava.ENVIRONMENT_VARIABLE, good.toString()), jvms.resolve("absent")).home()).isEqualTo(good);
        assertThatThrownBy(() -> TrinoJava.find(Map.of(TrinoJava.ENVIRONMENT_VARIABLE, old.toString()), jvms))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("Invalid configuration value for 'SLUICE_TRINO_JAVA_HOME': '%s' (expected the home of a JDK 24.0.1 or newer, with bin/java and a release file; found 17.0.15)", old);
    }

    @Test
    void withoutASuitableJdkTheMessageSaysWhatToDo(@TempDir Path jvms)
            throws IOException
    {
        jdk(jvms.resolve("java-17"), "17.0.15");

        assertThatThrownBy(() -> TrinoJava.find(Map.of(), jvms))
                .isInstanceOf(TrinoUnavailableException.class)
                .hasMessage("Cannot start Trino: it needs a JDK 24.0.1 or newer and none is in %s; install one (e.g. Temurin 25) or set SLUICE_TRINO_JAVA_HOME", jvms);
    }

    @Test
    void thisMachinesJdkForTrinoIsFound()
    {
        // These machines carry a Temurin 25 beside JDK 17 (docs/athena.md); the Trino tests depend on it.
        assertThat(TrinoJava.find(Map.of(), Path.of(TrinoJava.JVM_DIRECTORY)).version().feature()).isGreaterThanOrEqualTo(24);
    }

    private static Path jdk(Path home, String version)
            throws IOException
    {
        Files.createDirectories(home.resolve("bin"));
        Path java = Files.createFile(home.resolve("bin/java"));
        java.toFile().setExecutable(true);
        Files.writeString(home.resolve("release"), "JAVA_VERSION=\"%s\"%n".formatted(version));
        return home;
    }
}
