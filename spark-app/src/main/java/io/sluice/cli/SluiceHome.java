package io.sluice.cli;

import java.nio.file.Path;

/**
 * The checkout or installation Sluice runs from, where node_modules (the local Kinesis mock) lives. bin/sluice sets
 * {@code SLUICE_HOME}; tests set the {@code sluice.home} property; otherwise the current directory.
 */
final class SluiceHome
{
    private SluiceHome() {}

    static Path resolve()
    {
        String property = System.getProperty("sluice.home");
        if (property != null && !property.isBlank()) {
            return Path.of(property).toAbsolutePath();
        }
        String environment = System.getenv("SLUICE_HOME");
        if (environment != null && !environment.isBlank()) {
            return Path.of(environment).toAbsolutePath();
        }
        return Path.of("").toAbsolutePath();
    }
}
