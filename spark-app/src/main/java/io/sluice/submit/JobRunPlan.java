package io.sluice.submit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.UncheckedIOException;
import java.util.List;

import static java.util.Objects.requireNonNull;

/** What {@code sluice submit} does: upload {@code jar} to {@code jarLocation} (unless there), then send {@code request}. */
public record JobRunPlan(ApplicationJar jar, S3Location jarLocation, JobRunRequest request)
{
    private static final ObjectMapper JSON = new ObjectMapper();

    public JobRunPlan
    {
        requireNonNull(jar, "jar is null");
        requireNonNull(jarLocation, "jarLocation is null");
        requireNonNull(request, "request is null");
    }

    /** The request as indented JSON, ready for {@code aws emr-serverless start-job-run --cli-input-json file://...}. */
    public String requestJson()
    {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(request.toCliInputJson());
        }
        catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The same upload and StartJobRun with the AWS CLI, one shell command per line (except that the CLI uploads even when the object exists). */
    public List<String> awsCliCommands(String region)
    {
        requireNonNull(region, "region is null");
        try {
            return List.of(
                    "aws s3 cp " + shellQuote(jar.file().toString()) + " " + shellQuote(jarLocation.toString()),
                    "aws emr-serverless start-job-run --region " + shellQuote(region) + " --cli-input-json "
                            + shellQuote(JSON.writeValueAsString(request.toCliInputJson())));
        }
        catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** POSIX shell single quotes; a quote inside becomes {@code '\''}. Plain words stay as they are. */
    static String shellQuote(String value)
    {
        if (value.matches("[A-Za-z0-9_./:=@%+,-]+")) {
            return value;
        }
        return "'" + value.replace("'", "'\\''") + "'";
    }
}
