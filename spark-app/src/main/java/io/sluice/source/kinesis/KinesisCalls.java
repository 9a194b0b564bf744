package io.sluice.source.kinesis;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.kinesis.model.ExpiredIteratorException;
import software.amazon.awssdk.services.kinesis.model.KmsThrottlingException;
import software.amazon.awssdk.services.kinesis.model.LimitExceededException;
import software.amazon.awssdk.services.kinesis.model.ProvisionedThroughputExceededException;

import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * Runs Kinesis calls with the source's retry policy: throttling, 5xx answers and connection failures are retried
 * with {@link Backoff}; an expired iterator is handed to the caller, which knows where to re-acquire; anything
 * else fails the query with "Cannot read Kinesis stream ...".
 */
final class KinesisCalls
{
    private static final Logger log = LoggerFactory.getLogger(KinesisCalls.class);

    private final String streamName;
    private final Backoff backoff;

    KinesisCalls(String streamName, Backoff backoff)
    {
        this.streamName = requireNonNull(streamName, "streamName is null");
        this.backoff = requireNonNull(backoff, "backoff is null");
    }

    <T> T call(String operation, Supplier<T> call)
    {
        for (int retry = 1; ; retry++) {
            try {
                return call.get();
            }
            catch (ExpiredIteratorException e) {
                throw e;
            }
            catch (SdkException e) {
                if (e instanceof AbortedException || Thread.currentThread().isInterrupted()) {
                    throw interrupted(operation, e);
                }
                if (!isRetryable(e)) {
                    throw new KinesisSourceException("Cannot read Kinesis stream '%s': %s".formatted(streamName, describe(e)), e);
                }
                if (retry > backoff.maxRetries()) {
                    throw new KinesisSourceException("Cannot read Kinesis stream '%s': %s failed %d times, last with %s"
                            .formatted(streamName, operation, retry, describe(e)), e);
                }
                Duration delay = backoff.delay(retry, ThreadLocalRandom.current());
                log.debug("{} on stream {} failed ({}); retry {} in {}", operation, streamName, describe(e), retry, delay);
                pause(delay);
            }
        }
    }

    /** Waits before polling a shard again; separate from retries since an empty answer is not an error. */
    static void pause(Duration delay)
    {
        try {
            Thread.sleep(delay.toMillis());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw interrupted("waiting", e);
        }
    }

    /**
     * The exception for a call cut short by {@code query.stop()}: Spark recognizes an interrupted I/O exception as
     * a stop rather than a failure, so stopping a query does not log an error.
     */
    static UncheckedIOException interrupted(String operation, Throwable cause)
    {
        InterruptedIOException interrupted = new InterruptedIOException("Cannot complete Kinesis " + operation + ": interrupted");
        interrupted.initCause(cause);
        return new UncheckedIOException(interrupted.getMessage(), interrupted);
    }

    static boolean isRetryable(SdkException e)
    {
        if (e instanceof ProvisionedThroughputExceededException
                || e instanceof LimitExceededException
                || e instanceof KmsThrottlingException) {
            return true;
        }
        if (e instanceof SdkServiceException service) {
            return service.statusCode() >= 500 || service.statusCode() == 429 || service.isThrottlingException();
        }
        // Client-side failures are I/O: resets, timeouts, truncated answers.
        return e instanceof SdkClientException;
    }

    private static String describe(SdkException e)
    {
        if (e instanceof AwsServiceException aws && aws.awsErrorDetails() != null) {
            String code = aws.awsErrorDetails().errorCode();
            String message = aws.awsErrorDetails().errorMessage();
            return "%s (%s, HTTP %d)".formatted(message == null ? e.getMessage() : message, code, aws.statusCode());
        }
        return e.getMessage();
    }
}
