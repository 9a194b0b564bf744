package io.sluice.submit;

import io.sluice.config.SourceConnector;
import io.sluice.config.UsageException;
import io.sluice.spark.SparkSessions;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * The {@code sparkSubmitParameters} of a Sluice job run on EMR Serverless ({@code emr-spark-8.0.0}). EMR splits the
 * string on whitespace into spark-submit arguments, so no value may contain any.
 *
 * <ul>
 *   <li>Delta ships in the image but is not on the classpath until named: its jars and its SQL extension and catalog
 *       (Sluice's SparkSession sets the latter two too; here they also hold for anything Spark starts first).</li>
 *   <li>One {@code --jars} list: spark-submit's {@code --jars} replaces {@code spark.jars} from the application's
 *       spark-defaults, so the Kinesis connector jar for {@code aws-kinesis} cannot be added on its own without
 *       dropping Delta.</li>
 *   <li>No Java options: Spark adds the {@code --add-opens} list it needs on JDK 17 to the driver and executors itself
 *       ({@code JavaModuleOptions}); the root pom's {@code spark.jvm.options} exist for JVMs started without
 *       spark-submit (tests, bin/sluice), and {@code -Daws.cborEnabled=false} only for the local Kinesis mock.</li>
 *   <li>Fixed executors: a micro-batch job gains nothing from scaling to zero between batches.</li>
 * </ul>
 */
public final class SparkSubmitParameters
{
    public static final String MAIN_CLASS = "io.sluice.cli.SluiceMain";
    public static final List<String> DELTA_JARS = List.of("/usr/share/aws/delta/lib/delta-spark.jar", "/usr/share/aws/delta/lib/delta-storage.jar");
    /** The awslabs spark-sql-kinesis-connector in EMR images 7.1 and later, format {@code aws-kinesis}. */
    public static final String KINESIS_CONNECTOR_JAR = "/usr/share/aws/kinesis/spark-sql-kinesis/lib/spark-streaming-sql-kinesis-connector.jar";
    public static final String DELTA_EXTENSION = "io.delta.sql.DeltaSparkSessionExtension";
    public static final String DELTA_CATALOG = "org.apache.spark.sql.delta.catalog.DeltaCatalog";

    private SparkSubmitParameters() {}

    /**
     * @param extraConf more {@code --conf} settings, appended last so they win over the ones above
     */
    public static String of(SourceConnector connector, JobResources resources, Map<String, String> extraConf)
    {
        requireNonNull(connector, "connector is null");
        requireNonNull(resources, "resources is null");
        requireNonNull(extraConf, "extraConf is null");
        List<String> jars = new ArrayList<>(DELTA_JARS);
        if (connector == SourceConnector.AWS_KINESIS) {
            jars.add(KINESIS_CONNECTOR_JAR);
        }
        StringBuilder parameters = new StringBuilder("--class ").append(MAIN_CLASS)
                .append(" --jars ").append(String.join(",", jars));
        conf(parameters, "spark.sql.extensions", DELTA_EXTENSION);
        conf(parameters, "spark.sql.catalog.spark_catalog", DELTA_CATALOG);
        conf(parameters, "spark.driver.cores", Integer.toString(resources.driverCores()));
        conf(parameters, "spark.driver.memory", resources.driverMemoryGb() + "g");
        conf(parameters, "spark.executor.cores", Integer.toString(resources.executorCores()));
        conf(parameters, "spark.executor.memory", resources.executorMemoryGb() + "g");
        conf(parameters, "spark.executor.instances", Integer.toString(resources.executors()));
        conf(parameters, "spark.dynamicAllocation.enabled", "false");
        new TreeMap<>(SparkSessions.ENGINE_SETTINGS).forEach((key, value) -> conf(parameters, key, value));
        extraConf.forEach((key, value) -> {
            if (key.isBlank() || key.chars().anyMatch(Character::isWhitespace) || value.chars().anyMatch(Character::isWhitespace)) {
                throw new UsageException(("Invalid --spark-conf: '%s=%s' (expected key=value without whitespace: "
                        + "EMR Serverless splits sparkSubmitParameters on it)").formatted(key, value));
            }
            conf(parameters, key, value);
        });
        return parameters.toString();
    }

    private static void conf(StringBuilder parameters, String key, String value)
    {
        parameters.append(" --conf ").append(key).append('=').append(value);
    }
}
