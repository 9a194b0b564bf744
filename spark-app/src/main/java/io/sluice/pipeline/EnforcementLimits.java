package io.sluice.pipeline;

/**
 * Bounds on what a record may look like before it is even parsed as an event.
 *
 * @param maxRecordBytes larger payloads are quarantined as OVERSIZED without being parsed
 * @param maxNestingDepth deeper JSON is quarantined as TOO_DEEPLY_NESTED (enforced by the JSON parser itself)
 */
public record EnforcementLimits(int maxRecordBytes, int maxNestingDepth)
{
    public static final int DEFAULT_MAX_RECORD_BYTES = 1024 * 1024;
    public static final int DEFAULT_MAX_NESTING_DEPTH = 64;

    public EnforcementLimits
    {
        if (maxRecordBytes < 1) {
            throw new IllegalArgumentException("Invalid maxRecordBytes: " + maxRecordBytes);
        }
        if (maxNestingDepth < 2) {
            throw new IllegalArgumentException("Invalid maxNestingDepth: " + maxNestingDepth);
        }
    }

    public static EnforcementLimits defaults()
    {
        return new EnforcementLimits(DEFAULT_MAX_RECORD_BYTES, DEFAULT_MAX_NESTING_DEPTH);
    }
}
