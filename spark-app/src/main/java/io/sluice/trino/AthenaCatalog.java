package io.sluice.trino;

import io.sluice.config.UsageException;

import static java.util.Objects.requireNonNull;

/**
 * Where Athena finds Sluice's tables, mirrored by the local Trino: Athena's default catalog is the Glue Data Catalog,
 * {@value #DEFAULT_CATALOG}, and the CDK stack names its database {@code sluice_<env>} (SluiceSettings.databaseName), so a
 * query written for Athena, e.g. {@code SELECT ... FROM tennis_serves} with the workgroup's database selected, runs
 * unchanged against the local lake.
 */
public record AthenaCatalog(String catalog, String database)
{
    public static final String DEFAULT_CATALOG = "awsdatacatalog";
    public static final String DEFAULT_DATABASE = "sluice_dev";

    public AthenaCatalog
    {
        requireNonNull(catalog, "catalog is null");
        requireNonNull(database, "database is null");
        // Glue database names: lower case letters, digits and underscores; anything else would need quoting in Athena.
        if (!database.matches("[a-z][a-z0-9_]{0,254}")) {
            throw new UsageException("Invalid database name: '%s' (expected lower-case letters, digits and underscores, like sluice_dev)".formatted(database));
        }
        if (!catalog.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException("Invalid catalog name: '%s' (expected lower-case letters, digits and underscores)".formatted(catalog));
        }
    }

    public static AthenaCatalog of(String database)
    {
        return new AthenaCatalog(DEFAULT_CATALOG, database);
    }

    public static AthenaCatalog defaults()
    {
        return of(DEFAULT_DATABASE);
    }
}
