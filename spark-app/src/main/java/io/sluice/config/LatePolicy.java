package io.sluice.config;

/** What happens to an event whose time is older than the dedup watermark. */
public enum LatePolicy
{
    /** Insert it through an insert-only MERGE on its own partitions, so it lands at most once. */
    MERGE("merge"),
    /** Send it to quarantine with reason LATE. */
    QUARANTINE("quarantine");

    private final String configName;

    LatePolicy(String configName)
    {
        this.configName = configName;
    }

    public String configName()
    {
        return configName;
    }
}
