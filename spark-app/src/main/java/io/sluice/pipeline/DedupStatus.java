package io.sluice.pipeline;

/**
 * What the dedup stage decided about a record. The stage drops nothing: it labels every record, so the sink can
 * write bronze from all of them and account for each one.
 */
public enum DedupStatus
{
    /** First copy of an event id, on time: appended to silver. */
    NEW,
    /** A copy of an event id already seen inside the window: counted, not written to silver. */
    DUPLICATE,
    /** First copy seen inside the window, but older than the watermark: handled by the late policy. */
    LATE,
    /** No usable id or time, so it cannot be deduplicated; enforcement quarantines it. */
    UNKEYED
}
