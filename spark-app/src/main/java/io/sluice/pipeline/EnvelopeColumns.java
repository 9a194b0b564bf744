package io.sluice.pipeline;

/** Envelope columns the stages after parsing rely on. */
public final class EnvelopeColumns
{
    /** The CloudEvents {@code id}; null when absent or not a string. */
    public static final String EVENT_ID = "event_id";
    /** The CloudEvents {@code time} as a timestamp; null when absent or not RFC 3339. */
    public static final String EVENT_TIME = "event_time";

    private EnvelopeColumns() {}
}
