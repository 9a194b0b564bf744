package io.sluice.lake;

import io.sluice.config.ConfigKeys;
import io.sluice.config.SluiceConfig;
import io.sluice.contract.ContractLoader;
import io.sluice.contract.ContractRegistry;
import io.sluice.pipeline.ContractEnforcer;
import io.sluice.pipeline.EnforcementLimits;
import io.sluice.sink.DeltaTables;
import io.sluice.table.LakeLayout;
import io.sluice.table.SluiceTables;
import io.sluice.table.SilverSchema;
import io.sluice.table.TableSpec;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

import java.nio.file.Path;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * One configured lake: its contracts, the enforcer built from them, where its tables are. What the streaming job,
 * the SQL command and the demo share.
 */
public record Lake(SluiceConfig config, ContractRegistry contracts, ContractEnforcer enforcer, LakeLayout layout, SluiceTables tables)
{
    public Lake
    {
        requireNonNull(config, "config is null");
        requireNonNull(contracts, "contracts is null");
        requireNonNull(enforcer, "enforcer is null");
        requireNonNull(layout, "layout is null");
        requireNonNull(tables, "tables is null");
    }

    /** The lake the configuration describes, with the contracts of {@code contracts.dir} or, when empty, the packaged ones. */
    public static Lake of(SluiceConfig config)
    {
        String directory = config.value(ConfigKeys.CONTRACTS_DIR);
        ContractLoader loader = new ContractLoader();
        ContractRegistry contracts = directory.isEmpty()
                ? loader.loadClasspath(Lake.class.getClassLoader())
                : loader.loadDirectory(Path.of(directory));
        return of(config, contracts);
    }

    public static Lake of(SluiceConfig config, ContractRegistry contracts)
    {
        ContractEnforcer enforcer = new ContractEnforcer(contracts, limits(config));
        LakeLayout layout = new LakeLayout(config.value(ConfigKeys.LAKE_ROOT), config.value(ConfigKeys.CHECKPOINT_ROOT));
        Map<String, StructType> silverSchemas = SilverSchema.all(contracts);
        SluiceTables tables = SluiceTables.create(layout, new SluiceTables.TableNames(
                config.value(ConfigKeys.TABLE_BRONZE), config.value(ConfigKeys.TABLE_QUARANTINE), config.value(ConfigKeys.TABLE_AUDIT)),
                silverSchemas);
        return new Lake(config, contracts, enforcer, layout, tables);
    }

    public static EnforcementLimits limits(SluiceConfig config)
    {
        return new EnforcementLimits(config.value(ConfigKeys.STREAM_MAX_RECORD_BYTES), config.value(ConfigKeys.STREAM_MAX_NESTING_DEPTH));
    }

    /** Creates missing tables and adds the new columns of evolved contracts to existing ones. */
    public void createOrEvolveTables(SparkSession spark)
    {
        new DeltaTables(spark).ensureAll(tables.all());
    }

    /** Registers every table as a temporary view under its name, for SQL. */
    public void registerViews(SparkSession spark)
    {
        for (TableSpec table : tables.all()) {
            spark.read().format("delta").load(table.location()).createOrReplaceTempView(table.name());
        }
    }
}
