package io.sluice.source.kinesis;

/** A failure the query cannot recover from by retrying, such as a missing stream or denied access. */
public final class KinesisSourceException
        extends RuntimeException
{
    public KinesisSourceException(String message, Throwable cause)
    {
        super(message, cause);
    }

    public KinesisSourceException(String message)
    {
        super(message);
    }
}
