package io.sluice.submit;

import io.sluice.config.UsageException;

import static java.util.Objects.requireNonNull;

/** A bucket and a key (or key prefix ending in {@code /}), written {@code s3://bucket/key}. */
public record S3Location(String bucket, String key)
{
    public S3Location
    {
        requireNonNull(bucket, "bucket is null");
        requireNonNull(key, "key is null");
        // S3 bucket naming rules, loosely: what matters here is catching paths and URIs of other schemes.
        if (!bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
            throw new UsageException("Invalid S3 bucket name: '%s'".formatted(bucket));
        }
        if (key.startsWith("/")) {
            throw new UsageException("Invalid S3 key: '%s' (expected no leading /)".formatted(key));
        }
    }

    /**
     * @param option the option or output the value came from, for the error message
     */
    public static S3Location parse(String option, String uri)
    {
        requireNonNull(option, "option is null");
        requireNonNull(uri, "uri is null");
        String invalid = "Invalid %s: '%s' (expected s3://bucket or s3://bucket/prefix)".formatted(option, uri);
        if (!uri.startsWith("s3://")) {
            throw new UsageException(invalid);
        }
        String rest = uri.substring("s3://".length());
        int slash = rest.indexOf('/');
        try {
            return slash < 0 ? new S3Location(rest, "") : new S3Location(rest.substring(0, slash), rest.substring(slash + 1));
        }
        catch (IllegalArgumentException e) {
            throw new UsageException(invalid, e);
        }
    }

    /** This location as a prefix ({@code key} ending in {@code /}, or empty for the bucket's root). */
    public S3Location asPrefix()
    {
        return key.isEmpty() || key.endsWith("/") ? this : new S3Location(bucket, key + "/");
    }

    /** The location {@code relativeKey} below this prefix. */
    public S3Location resolve(String relativeKey)
    {
        requireNonNull(relativeKey, "relativeKey is null");
        return new S3Location(bucket, asPrefix().key() + relativeKey);
    }

    @Override
    public String toString()
    {
        return "s3://" + bucket + "/" + key;
    }
}
