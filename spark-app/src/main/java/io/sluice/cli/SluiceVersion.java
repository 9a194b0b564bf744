package io.sluice.cli;



import picocli.CommandLine;

/** The version printed by {@code sluice --version}: the jar's, with the Spark and Delta it was built for. */
final class SluiceVersion
        implements CommandLine.IVersionProvider
{
    @Override
    public String[] getVersion()
    {
        String version = SluiceVersion.class.getPackage().getImplementationVersion();
        return new String[] {"sluice " + (version == null ? "(development build)" : version),
                "built for Spark 4.0.2 / Scala 2.13 / Delta Lake 4.0 on EMR Serverless emr-spark-8.0.0"};
    }
}
