package io.sluice.config;

/** Where a new query starts reading a stream; a restarted query always resumes from its checkpoint. */
public enum StartingPosition
{
    TRIM_HORIZON,
    LATEST,
    AT_TIMESTAMP
}
