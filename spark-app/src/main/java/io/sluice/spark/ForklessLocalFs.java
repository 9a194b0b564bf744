package io.sluice.spark;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumFs;
import org.apache.hadoop.fs.DelegateToFileSystem;
import org.apache.hadoop.fs.FsConstants;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * The {@code FileContext} side of {@link ForklessLocalFileSystem} ({@code fs.AbstractFileSystem.file.impl}): what
 * Spark's checkpoint logs and Delta's log store rename through. Hadoop instantiates it by name with this constructor.
 */
public final class ForklessLocalFs
        extends ChecksumFs
{
    public ForklessLocalFs(URI uri, Configuration conf)
            throws IOException, URISyntaxException
    {
        super(new Raw(uri, conf));
    }

    private static final class Raw
            extends DelegateToFileSystem
    {
        Raw(URI uri, Configuration conf)
                throws IOException, URISyntaxException
        {
            super(uri, new ForklessRawLocalFileSystem(), conf, FsConstants.LOCAL_FS_URI.getScheme(), false);
        }

        @Override
        public int getUriDefaultPort()
        {
            return -1;
        }

        @Override
        public boolean isValidName(String src)
        {
            // Local paths may hold what HDFS forbids (for example ':' in a file name), as Hadoop's own local Fs allows.
            return true;
        }
    }
}
