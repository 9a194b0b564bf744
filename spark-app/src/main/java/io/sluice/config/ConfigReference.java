package io.sluice.config;

import java.util.stream.Collectors;

/** The configuration reference as a Markdown table: README.md embeds it, and a test keeps the two equal. */
public final class ConfigReference
{
    private ConfigReference() {}

    public static String markdownTable()
    {
        return ConfigKeys.ALL.stream()
                .map(key -> "| `%s` | `%s` | `%s` | %s |".formatted(key.name(), key.defaultValue(), key.environmentVariable(), key.help().replace("|", "\\|")))
                .collect(Collectors.joining("\n", "| Key | Default | Environment variable | Meaning |\n|---|---|---|---|\n", "\n"));
    }

    public static void main(String[] args)
    {
        System.out.print(markdownTable());
    }
}
