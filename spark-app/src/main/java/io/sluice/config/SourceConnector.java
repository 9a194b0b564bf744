package io.sluice.config;

/** Which Spark source reads Kinesis. Both produce the same columns, so the job code does not change. */
public enum SourceConnector
{
    /** Sluice's own DataSource V2 source: works locally, in tests, on EMR and on Glue. */
    SLUICE("sluice", "sluice-kinesis"),
    /** The AWS connector bundled in EMR images (7.1+); not available elsewhere. */
    AWS_KINESIS("aws-kinesis", "aws-kinesis");

    private final String configName;
    private final String sparkFormat;

    SourceConnector(String configName, String sparkFormat)
    {
        this.configName = configName;
        this.sparkFormat = sparkFormat;
    }

    public String configName()
    {
        return configName;
    }

    public String sparkFormat()
    {
        return sparkFormat;
    }
}
