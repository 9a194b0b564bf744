package io.sluice.contract;

/**
 * What changed between two versions of a contract, judged by AWS Glue Schema Registry BACKWARD compatibility
 * (the new version must accept everything the previous one accepted) plus one Sluice rule: the silver column
 * type must not change, because both versions write the same Delta table.
 */
public enum CompatibilityRule
{
    FIELD_REMOVED(true),
    FIELD_RETYPED(true),
    REQUIRED_FIELD_ADDED(true),
    FIELD_MADE_REQUIRED(true),
    ENUM_NARROWED(true),
    BOUNDS_TIGHTENED(true),
    PATTERN_CHANGED(true),
    ADDITIONAL_PROPERTIES_DISALLOWED(true),
    TABLE_CHANGED(true),

    OPTIONAL_FIELD_ADDED(false),
    ENUM_WIDENED(false),
    BOUNDS_RELAXED(false),
    PATTERN_REMOVED(false),
    FIELD_MADE_OPTIONAL(false),
    ADDITIONAL_PROPERTIES_ALLOWED(false);

    private final boolean breaking;

    CompatibilityRule(boolean breaking)
    {
        this.breaking = breaking;
    }

    public boolean breaking()
    {
        return breaking;
    }
}
