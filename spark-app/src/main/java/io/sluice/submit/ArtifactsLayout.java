package io.sluice.submit;

/**
 * Key prefixes in the artifacts bucket (or below {@code --artifacts}). The CDK app's job role may read
 * {@value #JARS_PREFIX} and write {@value #EMR_LOGS_PREFIX}; its StorageConstruct takes these constants.
 */
public final class ArtifactsLayout
{
    /** Application jars, one object per build (see {@link ApplicationJar#objectName()}). */
    public static final String JARS_PREFIX = "jars/";
    /** Driver and executor logs EMR Serverless copies to S3. */
    public static final String EMR_LOGS_PREFIX = "emr-logs/";

    private ArtifactsLayout() {}
}
