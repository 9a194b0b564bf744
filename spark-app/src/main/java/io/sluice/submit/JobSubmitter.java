package io.sluice.submit;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.emrserverless.EmrServerlessClient;
import software.amazon.awssdk.services.emrserverless.model.StartJobRunResponse;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Carries out a {@link JobRunPlan} with the AWS SDK: the default credential chain, and the SDK's standard endpoint
 * settings ({@code AWS_ENDPOINT_URL_S3} and {@code AWS_ENDPOINT_URL_EMR_SERVERLESS}, or the {@code aws.endpointUrlS3}
 * and {@code aws.endpointUrlEmrServerless} system properties), which is how the tests point it at stand-ins.
 */
public final class JobSubmitter
        implements AutoCloseable
{
    /** User metadata holding the uploaded jar's full SHA-256 (hex). */
    public static final String SHA256_METADATA = "sha256";

    private final S3Client s3;
    private final EmrServerlessClient emr;

    public JobSubmitter(String region)
    {
        requireNonNull(region, "region is null");
        this.s3 = S3Client.builder()
                .region(Region.of(region))
                .httpClientBuilder(ApacheHttpClient.builder())
                .build();
        this.emr = EmrServerlessClient.builder()
                .region(Region.of(region))
                .httpClientBuilder(ApacheHttpClient.builder())
                .build();
    }

    /**
     * Uploads the jar unless it is there already. The name holds the start of the content's digest; the object's
     * {@value #SHA256_METADATA} metadata holds all of it, and an object under the name whose digest differs (or is
     * missing) is refused rather than overwritten: a running job's retries read that object. The upload carries the
     * SHA-256 as its S3 checksum, so S3 rejects bytes that changed on the way, and is conditional on the key being
     * free ({@code If-None-Match: *}), so two uploads racing cannot replace each other's jar.
     *
     * @return whether the jar was uploaded
     */
    public boolean upload(ApplicationJar jar, S3Location location)
    {
        requireNonNull(jar, "jar is null");
        requireNonNull(location, "location is null");
        HeadObjectResponse existing;
        try {
            existing = s3.headObject(request -> request.bucket(location.bucket()).key(location.key()));
        }
        catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw e;
            }
            PutObjectRequest.Builder put = PutObjectRequest.builder()
                    .bucket(location.bucket())
                    .key(location.key())
                    .contentType("application/java-archive")
                    .metadata(Map.of(SHA256_METADATA, jar.sha256()));
            try {
                s3.putObject(put.copy()
                                .checksumSHA256(Base64.getEncoder().encodeToString(HexFormat.of().parseHex(jar.sha256())))
                                .ifNoneMatch("*")
                                .build(),
                        RequestBody.fromFile(jar.file()));
            }
            catch (S3Exception notImplemented) {
                if (notImplemented.statusCode() != 501) {
                    throw notImplemented;
                }
                // S3 implements conditional writes and SHA-256 checksums; some S3-compatible stores (S3Proxy, older
                // MinIO) answer 501. The HEAD above found the key free and the digest travels in the metadata, so a
                // plain PUT still refuses to replace a different jar, only without the race protection.
                s3.putObject(put.build(), RequestBody.fromFile(jar.file()));
            }
            catch (SdkClientException noAnswer) {
                // No answer at all: such a store may also answer 501 before reading the body and close the connection
                // while the body is still on its way (the SDK then sees a broken pipe), and on S3 the answer may have
                // been lost after the write. Look again: the name is the content's digest, so the same jar there is done.
                Optional<String> after = digestAt(location);
                if (after.isPresent()) {
                    checkSameJar(jar, location, after.get());
                    return true;
                }
                s3.putObject(put.build(), RequestBody.fromFile(jar.file()));
            }
            return true;
        }
        checkSameJar(jar, location, existing.metadata().get(SHA256_METADATA));
        return false;
    }

    /** The recorded digest of the object at {@code location}, "" when it has none; empty when there is no object. */
    private Optional<String> digestAt(S3Location location)
    {
        try {
            HeadObjectResponse head = s3.headObject(request -> request.bucket(location.bucket()).key(location.key()));
            return Optional.of(head.metadata().getOrDefault(SHA256_METADATA, ""));
        }
        catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw e;
            }
            return Optional.empty();
        }
    }

    private static void checkSameJar(ApplicationJar jar, S3Location location, String digest)
    {
        if (!jar.sha256().equals(digest)) {
            throw new IllegalStateException("Cannot upload %s to %s: a different jar is there (sha256 %s, this one %s); refusing to overwrite it"
                    .formatted(jar.file().getFileName(), location, digest == null || digest.isEmpty() ? "not recorded" : digest, jar.sha256()));
        }
    }

    public StartJobRunResponse start(JobRunRequest request)
    {
        return emr.startJobRun(requireNonNull(request, "request is null").toSdkRequest());
    }

    @Override
    public void close()
    {
        s3.close();
        emr.close();
    }
}
