package io.sluice.cli;

import io.sluice.config.SluiceConfig;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The configuration options every command that touches the lake takes. */
final class ConfigOptions
{
    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "HOCON configuration file (see conf/). Defaults are for a laptop.")
    Path file;

    @Option(names = {"-s", "--set"}, paramLabel = "KEY=VALUE",
            description = "Override one configuration key, e.g. --set lake.root=s3a://bucket/lake. Repeatable; wins over the file and SLUICE_* variables.")
    Map<String, String> overrides = new LinkedHashMap<>();

    SluiceConfig load()
    {
        return SluiceConfig.load(Optional.ofNullable(file), System.getenv(), overrides);
    }
}
