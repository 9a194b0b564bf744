package io.sluice.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Sluice's resolved configuration. Each key's value comes from the first of: a {@code --set key=value} override,
 * the environment variable {@code SLUICE_<KEY>}, the config file (HOCON), the key's default. Every value is parsed
 * when the configuration is loaded, so a bad one fails before any work starts.
 */
public final class SluiceConfig
{
    /** Environment variables with the SLUICE_ prefix that are not configuration keys: bin/sluice's own. */
    private static final java.util.Set<String> RESERVED_ENVIRONMENT = java.util.Set.of("SLUICE_HOME", "SLUICE_OPTS", "SLUICE_JAVA", "SLUICE_DEBUG");

    private final Map<String, String> rawValues;
    private final Map<String, Object> values;

    private SluiceConfig(Map<String, String> rawValues, Map<String, Object> values)
    {
        this.rawValues = Map.copyOf(rawValues);
        this.values = Map.copyOf(values);
    }

    public static SluiceConfig defaults()
    {
        return load(Optional.empty(), Map.of(), Map.of());
    }

    /**
     * @param file a HOCON file, if any
     * @param environment the process environment (only {@code SLUICE_*} variables are read)
     * @param overrides {@code --set} values by key name
     */
    public static SluiceConfig load(Optional<Path> file, Map<String, String> environment, Map<String, String> overrides)
    {
        return load(Map.of(), "default", file, environment, overrides);
    }

    /**
     * Like {@link #load(Optional, Map, Map)}, with {@code base} values layered between the keys' defaults and the file:
     * values a deployment implies (for {@code sluice submit}, the CDK stack's outputs), which the file, an environment
     * variable or {@code --set} still override.
     *
     * @param baseOrigin where the base values come from, for error messages
     */
    public static SluiceConfig load(Map<String, String> base, String baseOrigin, Optional<Path> file, Map<String, String> environment,
            Map<String, String> overrides)
    {
        requireNonNull(base, "base is null");
        requireNonNull(baseOrigin, "baseOrigin is null");
        requireNonNull(file, "file is null");
        requireNonNull(environment, "environment is null");
        requireNonNull(overrides, "overrides is null");

        Map<String, String> raw = new LinkedHashMap<>();
        Map<String, String> origin = new LinkedHashMap<>();
        for (ConfigKey<?> key : ConfigKeys.ALL) {
            raw.put(key.name(), key.defaultValue());
            origin.put(key.name(), "default");
        }
        base.forEach((name, value) -> {
            ConfigKey<?> key = ConfigKeys.byName(name).orElseThrow(() -> unknownKey(name, "key", baseOrigin));
            raw.put(key.name(), value);
            origin.put(key.name(), baseOrigin);
        });
        file.ifPresent(path -> readFile(path).forEach((name, value) -> {
            raw.put(name, value);
            origin.put(name, path.toString());
        }));
        environment.forEach((variable, value) -> {
            if (!variable.startsWith("SLUICE_") || RESERVED_ENVIRONMENT.contains(variable)) {
                return;
            }
            ConfigKey<?> key = ConfigKeys.ALL.stream()
                    .filter(candidate -> candidate.environmentVariable().equals(variable))
                    .findFirst()
                    .orElseThrow(() -> unknownKey(variable, "environment variable", "environment"));
            raw.put(key.name(), value);
            origin.put(key.name(), "environment variable " + variable);
        });
        overrides.forEach((name, value) -> {
            ConfigKey<?> key = ConfigKeys.byName(name).orElseThrow(() -> unknownKey(name, "key", "--set"));
            raw.put(key.name(), value);
            origin.put(key.name(), "--set");
        });

        Map<String, Object> parsed = new LinkedHashMap<>();
        for (ConfigKey<?> key : ConfigKeys.ALL) {
            String value = raw.get(key.name());
            try {
                parsed.put(key.name(), key.parse(value));
            }
            catch (InvalidConfigurationException e) {
                throw new InvalidConfigurationException(e.getMessage() + ", from " + origin.get(key.name()));
            }
        }
        SluiceConfig config = new SluiceConfig(raw, parsed);
        config.checkConsistency();
        return config;
    }

    public <T> T value(ConfigKey<T> key)
    {
        requireNonNull(key, "key is null");
        @SuppressWarnings("unchecked")
        T value = (T) values.get(key.name());
        if (value == null) {
            throw new IllegalArgumentException("Unknown configuration key: " + key.name());
        }
        return value;
    }

    /** The value as it was written, for printing the effective configuration. */
    public String rawValue(ConfigKey<?> key)
    {
        return rawValues.get(key.name());
    }

    /** A copy with {@code overrides} applied on top, validated like any load. */
    public SluiceConfig with(Map<String, String> overrides)
    {
        Map<String, String> merged = new LinkedHashMap<>(rawValues);
        overrides.forEach((name, value) -> merged.put(
                ConfigKeys.byName(name).orElseThrow(() -> unknownKey(name, "key", "override")).name(), value));
        return load(Optional.empty(), Map.of(), merged);
    }

    private void checkConsistency()
    {
        if (value(ConfigKeys.SOURCE_STARTING_POSITION) == StartingPosition.AT_TIMESTAMP) {
            String timestamp = value(ConfigKeys.SOURCE_STARTING_TIMESTAMP);
            try {
                java.time.Instant.parse(timestamp);
            }
            catch (java.time.format.DateTimeParseException e) {
                throw new InvalidConfigurationException(ConfigKeys.SOURCE_STARTING_TIMESTAMP.name(), timestamp,
                        "an ISO-8601 instant such as 2026-11-21T00:00:00Z when source.starting-position is AT_TIMESTAMP");
            }
        }
    }

    private static Map<String, String> readFile(Path path)
    {
        if (!Files.isRegularFile(path)) {
            throw new InvalidConfigurationException("Cannot read configuration file %s: no such file".formatted(path));
        }
        Config config;
        try {
            config = ConfigFactory.parseFile(path.toFile(), ConfigParseOptions.defaults()
                    .setSyntax(ConfigSyntax.CONF)
                    .setAllowMissing(false))
                    .resolve();
        }
        catch (ConfigException e) {
            throw new InvalidConfigurationException("Cannot read configuration file %s: %s".formatted(path, e.getMessage()));
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (Map.Entry<String, ConfigValue> entry : config.entrySet()) {
            String name = entry.getKey();
            if (ConfigKeys.byName(name).isEmpty()) {
                throw unknownKey(name, "key", path.toString());
            }
            ConfigValue value = entry.getValue();
            if (value.valueType() == ConfigValueType.LIST || value.valueType() == ConfigValueType.OBJECT) {
                throw new InvalidConfigurationException(name, value.render(), "a single value, not a list or object");
            }
            values.put(name, value.valueType() == ConfigValueType.NULL ? "" : String.valueOf(value.unwrapped()));
        }
        return values;
    }

    private static InvalidConfigurationException unknownKey(String name, String what, String where)
    {
        String hint = ConfigKeys.closest(name.startsWith("SLUICE_") ? name.substring("SLUICE_".length()).toLowerCase(java.util.Locale.ROOT).replace('_', '.') : name)
                .map(closest -> "; did you mean '" + closest + "'?")
                .orElse("; see the configuration reference in README.md");
        return new InvalidConfigurationException("Unknown configuration %s '%s' in %s%s".formatted(what, name, where, hint));
    }
}
