package io.sluice.cli;

import io.sluice.config.SluiceConfig;
import io.sluice.spark.SparkSessions;
import io.sluice.lake.Lake;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

@Command(name = "sql", mixinStandardHelpOptions = true,
        description = {"Run Spark SQL against the lake and print the result as a table.",
                "Every table is a view under its name: raw_events, quarantine, ingest_audit and one per contract (e.g. tennis_serves)."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:printed the result", "1:the query failed", "2:bad command line or configuration"})
final class SqlCommand
        implements Callable<Integer>
{
    @Mixin
    ConfigOptions configOptions;

    @Parameters(index = "0", paramLabel = "QUERY", description = "The SQL statement, e.g. \"SELECT count(*) FROM tennis_serves\"")
    String query;

    @Option(names = "--max-rows", defaultValue = "100", description = "Rows to print (default: ${DEFAULT-VALUE})")
    int maxRows;

    @Override
    public Integer call()
    {
        SluiceConfig config = configOptions.load();
        SparkSession spark = SparkSessions.builder(config, "sluice-sql").getOrCreate();
        try {
            Lake lake = Lake.of(config);
            lake.createOrEvolveTables(spark);
            lake.registerViews(spark);
            spark.sql(query).show(maxRows, 0, false);
            return ExitCodes.OK;
        }
        finally {
            spark.stop();
        }
    }
}
