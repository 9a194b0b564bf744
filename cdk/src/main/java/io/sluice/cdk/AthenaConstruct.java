package io.sluice.cdk;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.athena.CfnNamedQuery;
import software.amazon.awscdk.services.athena.CfnWorkGroup;
import software.amazon.awscdk.services.kms.IKey;
import software.constructs.Construct;

/**
 * The Athena workgroup people and notebooks query the lake through: engine version 3 (the only one that
 * reads Delta natively), results in the artifacts bucket encrypted with the CMK, the workgroup's settings
 * enforced over the client's, and a per-query bytes-scanned cutoff so one careless query can't scan the
 * lake. Every {@code notebooks/*.sql} file becomes a named query in it.
 */
public final class AthenaConstruct extends Construct
{

    public static final String ENGINE_VERSION = "Athena engine version 3";
    // Athena's limit on a named query's text.
    private static final int MAX_QUERY_CHARS = 262_144;
    // A table a query reads: an unqualified name after FROM or JOIN (not a subquery, not a function such as from_utf8).
    private static final Pattern TABLE_REFERENCE = Pattern.compile("(?i)\\b(?:from|join)\\s+([a-z_][a-z0-9_]*)\\b(?!\\s*\\()");

    private final CfnWorkGroup workGroup;
    private final List<CfnNamedQuery> namedQueries = new ArrayList<>();

    public AthenaConstruct(Construct scope, String id, SluiceSettings settings, IKey key, StorageConstruct storage,
                           CatalogConstruct catalog)
                           {
        super(scope, id);
        requireNonNull(settings, "settings");
        requireNonNull(key, "key");
        requireNonNull(storage, "storage");
        requireNonNull(catalog, "catalog");

        this.workGroup = CfnWorkGroup.Builder.create(this, "WorkGroup")
                .name(settings.prefix())
                .description("Sluice " + settings.envName() + ": queries over the silver Delta tables")
                .state("ENABLED")
                // Lets a dev stack be destroyed although its workgroup holds saved queries and history.
                .recursiveDeleteOption(!settings.retainData())
                .workGroupConfiguration(CfnWorkGroup.WorkGroupConfigurationProperty.builder()
                        .engineVersion(CfnWorkGroup.EngineVersionProperty.builder()
                                .selectedEngineVersion(ENGINE_VERSION)
                                .build())
                        .enforceWorkGroupConfiguration(true)
                        .publishCloudWatchMetricsEnabled(true)
                        .bytesScannedCutoffPerQuery(settings.athenaBytesScannedCutoff())
                        .requesterPaysEnabled(false)
                        .resultConfiguration(CfnWorkGroup.ResultConfigurationProperty.builder()
                                .outputLocation(storage.artifactsUri(StorageConstruct.ATHENA_RESULTS_PREFIX))
                                .expectedBucketOwner(Stack.of(this).getAccount())
                                .encryptionConfiguration(CfnWorkGroup.EncryptionConfigurationProperty.builder()
                                        .encryptionOption("SSE_KMS")
                                        .kmsKey(key.getKeyArn())
                                        .build())
                                .build())
                        .build())
                .build();

        settings.notebooksDir().ifPresent(dir -> {
            for (Path file : sqlFiles(dir)) {
                String name = file.getFileName().toString().replaceFirst("(?i)\\.sql$", "");
                String sql = read(file);
                if (sql.isBlank()) {
                    continue;
                }
                if (sql.length() > MAX_QUERY_CHARS) {
                    throw new IllegalArgumentException(file + " is longer than Athena's " + MAX_QUERY_CHARS
                            + " characters for a named query");
                }
                CfnNamedQuery query = CfnNamedQuery.Builder.create(this, "Query-" + name)
                        .name(name)
                        .description("From notebooks/" + file.getFileName())
                        .database(database(file, sql, catalog))
                        .workGroup(workGroup.getRef())
                        .queryString(sql)
                        .build();
                query.addResourceDependency(catalog.database());
                namedQueries.add(query);
            }
        });
    }

    /**
     * The database a saved query runs in: the restricted raw database when it reads bronze or quarantine (only the
     * job and break-glass roles may run it there), else the analysts'. A query that reads both can't name one.
     */
    static String database(Path file, String sql, CatalogConstruct catalog)
    {
        // Names the catalog doesn't hold (common table expressions, UNNEST aliases) say nothing about the database.
        Set<String> read = new TreeSet<>(tablesRead(sql));
        read.retainAll(catalog.tables().keySet());
        Set<String> raw = new TreeSet<>(read);
        raw.retainAll(catalog.rawTableNames());
        if (raw.isEmpty()) {
            return catalog.databaseName();
        }
        if (raw.size() < read.size()) {
            throw new IllegalArgumentException(file + " reads raw tables " + raw + " and analysts' tables: a saved query "
                    + "runs in one database; split it or qualify the names");
        }
        return catalog.rawDatabaseName();
    }

    /** The unqualified table names after FROM and JOIN, outside {@code --} comments. */
    static Set<String> tablesRead(String sql)
    {
        Set<String> tables = new TreeSet<>();
        Matcher m = TABLE_REFERENCE.matcher(sql.replaceAll("--[^\\n]*", ""));
        while (m.find()) {
            tables.add(m.group(1).toLowerCase(Locale.ROOT));
        }
        return tables;
    }

    /** The {@code *.sql} files directly in {@code dir}, sorted by name; none if the directory is absent. */
    static List<Path> sqlFiles(Path dir)
    {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(f -> f.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".sql"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    private static String read(Path file)
    {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    public CfnWorkGroup workGroup()
    {
        return workGroup;
    }

    public List<CfnNamedQuery> namedQueries()
    {
        return List.copyOf(namedQueries);
    }
}
