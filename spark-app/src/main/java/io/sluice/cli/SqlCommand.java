package io.sluice.cli;

import io.sluice.config.ConfigKeys;
import io.sluice.config.InvalidConfigurationException;
import io.sluice.config.SluiceConfig;
import io.sluice.config.UsageException;
import io.sluice.spark.SparkSessions;
import io.sluice.lake.Lake;
import io.sluice.trino.AthenaCatalog;
import io.sluice.trino.TrinoSession;
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

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--engine", defaultValue = "spark", paramLabel = "spark|trino",
            description = "spark: Spark SQL (EMR's dialect); trino: Athena engine v3 stand-in (Trino 476 on loopback; needs JDK 24+, docs/athena.md) (default: ${DEFAULT-VALUE})")
    String engine;

    @Option(names = "--database", defaultValue = AthenaCatalog.DEFAULT_DATABASE,
            description = "With --engine trino: the Glue database name the tables are registered under, as the stack names it (default: ${DEFAULT-VALUE})")
    String database;

    @Override
    public Integer call()
    {
        if (!engine.equals("spark") && !engine.equals("trino")) {
            throw new UsageException("Invalid --engine: '%s' (expected spark or trino)".formatted(engine));
        }
        SluiceConfig config = configOptions.load();
        if (engine.equals("trino")) {
            String lakeRoot = config.value(ConfigKeys.LAKE_ROOT);
            if (lakeRoot.contains("://") && !lakeRoot.startsWith("file:")) {
                // Checked before Trino starts: the local Trino reads the lake through its local file system only.
                throw new InvalidConfigurationException(ConfigKeys.LAKE_ROOT.name(), lakeRoot,
                        "a local directory with --engine trino; query an s3a:// lake with Athena, or with --engine spark");
            }
            try (TrinoSession trino = TrinoSession.open(SluiceHome.resolve(), Lake.of(config), AthenaCatalog.of(database))) {
                spec.commandLine().getOut().print(trino.query(query).format(maxRows));
                spec.commandLine().getOut().flush();
                return ExitCodes.OK;
            }
        }
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
