package io.sluice.testing;

import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;

import java.net.URI;

import static java.util.Objects.requireNonNull;

/**
 * An S3-compatible server on 127.0.0.1 for tests: s3proxy in this JVM with jclouds' in-memory store, on a free port,
 * checking AWS signature V4 against one fixed key pair. {@link #close()} stops it and drops every object.
 * <p>
 * S3A needs no store-specific settings for it: S3A's change detection (reads carry {@code If-Match} on the ETag it
 * saw) is honoured, and with S3A 3.4.1's client settings the SDK uploads without the newer flexible checksums, so
 * neither {@code fs.s3a.change.detection.*} nor checksum switches are set.
 */
public final class LocalS3
        implements AutoCloseable
{
    public static final String ACCESS_KEY = "sluice-test-access-key";
    public static final String SECRET_KEY = "sluice-test-secret-key";

    private final BlobStoreContext context;
    private final BlobStore store;
    private final S3Proxy proxy;
    private final URI endpoint;

    private LocalS3(BlobStoreContext context, S3Proxy proxy, URI endpoint)
    {
        this.context = requireNonNull(context, "context is null");
        this.store = context.getBlobStore();
        this.proxy = requireNonNull(proxy, "proxy is null");
        this.endpoint = requireNonNull(endpoint, "endpoint is null");
    }

    /** Starts the server with the given buckets and returns once it accepts requests. */
    public static LocalS3 start(String... buckets)
    {
        // jclouds' "transient" provider: objects in memory, gone when the context closes.
        BlobStoreContext context = ContextBuilder.newBuilder("transient").buildView(BlobStoreContext.class);
        for (String bucket : buckets) {
            context.getBlobStore().createContainerInLocation(null, bucket);
        }
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(context.getBlobStore())
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        try {
            proxy.start();
        }
        catch (Exception e) {
            context.close();
            throw new IllegalStateException("Cannot start s3proxy: " + e.getMessage(), e);
        }
        return new LocalS3(context, proxy, URI.create("http://127.0.0.1:" + proxy.getPort()));
    }

    public URI endpoint()
    {
        return endpoint;
    }

    /** Whether the object {@code key} is in {@code bucket}, read from the server's store. */
    public boolean exists(String bucket, String key)
    {
        return store.blobExists(bucket, key);
    }

    @Override
    public void close()
    {
        try {
            proxy.stop();
        }
        catch (Exception e) {
            throw new IllegalStateException("Cannot stop s3proxy: " + e.getMessage(), e);
        }
        finally {
            context.close();
        }
    }
}
