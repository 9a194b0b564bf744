package io.sluice.spark;

import org.apache.hadoop.fs.LocalFileSystem;

/**
 * Hadoop's {@code file:} file system (checksummed, over {@link ForklessRawLocalFileSystem}) for local runs:
 * {@code fs.file.impl}. Public with a no-argument constructor because Hadoop instantiates it by name.
 */
public final class ForklessLocalFileSystem
        extends LocalFileSystem
{
    public ForklessLocalFileSystem()
    {
        super(new ForklessRawLocalFileSystem());
    }
}
