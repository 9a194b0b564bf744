package io.sluice.config;

import java.util.Optional;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * One configuration key: its name, default, how a text value becomes a typed one, and what it means.
 * Parsers throw {@link IllegalArgumentException} with a message saying what is expected; {@link SluiceConfig}
 * turns that into an {@link InvalidConfigurationException} naming the key and the value.
 */
public record ConfigKey<T>(String name, String defaultValue, String expected, Function<String, T> parser, String help)
{
    public ConfigKey
    {
        requireNonNull(name, "name is null");
        requireNonNull(defaultValue, "defaultValue is null");
        requireNonNull(expected, "expected is null");
        requireNonNull(parser, "parser is null");
        requireNonNull(help, "help is null");
        if (!name.matches("[a-z]+(\\.[a-z][a-z0-9-]*)+")) {
            throw new IllegalArgumentException("Invalid configuration key name: " + name);
        }
    }

    /** The environment variable that overrides this key: {@code SLUICE_} + the name upper-cased, dots and dashes as underscores. */
    public String environmentVariable()
    {
        return "SLUICE_" + name.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    T parse(String value)
    {
        try {
            return parser.apply(value);
        }
        catch (IllegalArgumentException e) {
            throw new InvalidConfigurationException(name, value, Optional.ofNullable(e.getMessage()).orElse(expected));
        }
    }
}
