package io.sluice.contract;

import static java.util.Objects.requireNonNull;

/** One difference between a contract version and its predecessor; {@code path} is like {@code data.score.server}. */
public record CompatibilityFinding(String dataset, int version, String path, CompatibilityRule rule, String message)
{
    public CompatibilityFinding
    {
        requireNonNull(dataset, "dataset is null");
        requireNonNull(path, "path is null");
        requireNonNull(rule, "rule is null");
        requireNonNull(message, "message is null");
    }

    public boolean breaking()
    {
        return rule.breaking();
    }

    /** One line for the CLI: {@code BREAKING tennis.serve v2 data.outcome ENUM_NARROWED: ...}. */
    public String describe()
    {
        return "%s %s v%d %s %s: %s".formatted(breaking() ? "BREAKING" : "compatible", dataset, version, path, rule, message);
    }
}
