package io.sluice.submit;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.emrserverless.EmrServerlessClient;
import software.amazon.awssdk.services.emrserverless.model.StartJobRunResponse;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Carries out a {@link JobRunPlan} with the AWS SDK: the default credential chain, and the SDK's standard endpoint
 * settings ({@code AWS_ENDPOINT_URL_S3} and {@code AWS_ENDPOINT_URL_EMR_SERVERLESS}, or the {@code aws.endpointUrlS3}
 * and {@code aws.endpointUrlEmrServerless} system properties), which is how the tests point it at stand-ins.
 */
public final class JobSubmitter
        implements AutoCloseable
{
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
     * Uploads the jar unless an object of that name is there already; the name holds the content's digest, so an
     * existing object is this jar.
     *
     * @return whether the jar was uploaded
     */
    public boolean upload(ApplicationJar jar, S3Location location)
    {
        requireNonNull(jar, "jar is null");
        requireNonNull(location, "location is null");
        try {
            s3.headObject(request -> request.bucket(location.bucket()).key(location.key()));
            return false;
        }
        catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw e;
            }
            s3.putObject(PutObjectRequest.builder()
                            .bucket(location.bucket())
                            .key(location.key())
                            .contentType("application/java-archive")
                            .metadata(Map.of("sha256", jar.sha256()))
                            .build(),
                    RequestBody.fromFile(jar.file()));
            return true;
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
