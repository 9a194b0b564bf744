package io.sluice.config;

import static java.util.Objects.requireNonNull;

/** A configuration value that cannot be used. Its message is one line: key, value, and what is expected. */
public final class InvalidConfigurationException
        extends UsageException
{
    private final String key;

    public InvalidConfigurationException(String key, String value, String expected)
    {
        super("Invalid configuration value for '%s': '%s' (expected %s)".formatted(
                requireNonNull(key, "key is null"), requireNonNull(value, "value is null"), requireNonNull(expected, "expected is null")));
        this.key = key;
    }

    public InvalidConfigurationException(String message)
    {
        super(requireNonNull(message, "message is null"));
        this.key = null;
    }

    public java.util.Optional<String> key()
    {
        return java.util.Optional.ofNullable(key);
    }
}
