package io.sluice.trino;

import io.sluice.lake.Lake;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A local Trino over one lake, for one command or one test run: finds the JDK and the unpacked server, starts Trino in a
 * fresh work directory, registers the lake's tables; {@link #close()} stops it and deletes the work directory.
 */
public final class TrinoSession
        implements AutoCloseable
{
    private final LocalTrino trino;
    private final Path work;
    private final List<String> tables;

    private TrinoSession(LocalTrino trino, Path work, List<String> tables)
    {
        this.trino = requireNonNull(trino, "trino is null");
        this.work = requireNonNull(work, "work is null");
        this.tables = List.copyOf(tables);
    }

    public static TrinoSession open(Path sluiceHome, Lake lake, AthenaCatalog catalog)
    {
        TrinoJava java = TrinoJava.find();
        TrinoInstallation installation = TrinoInstallation.locate(sluiceHome);
        Path work;
        try {
            work = Files.createTempDirectory("sluice-trino-");
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        LocalTrino trino = null;
        try {
            trino = LocalTrino.start(installation, java, work, catalog);
            List<String> tables = LakeCatalog.register(trino, lake);
            return new TrinoSession(trino, work, tables);
        }
        catch (RuntimeException e) {
            if (trino != null) {
                trino.close();
            }
            TrinoInstallation.deleteTree(work);
            throw e;
        }
    }

    public LocalTrino trino()
    {
        return trino;
    }

    /** The tables registered when the session opened. */
    public List<String> tables()
    {
        return tables;
    }

    /** Registers the lake's tables again (after marts or new tables appeared). */
    public List<String> refresh(Lake lake)
    {
        return LakeCatalog.register(trino, lake);
    }

    public QueryResult query(String sql)
    {
        return trino.query(sql);
    }

    @Override
    public void close()
    {
        try {
            trino.close();
        }
        finally {
            TrinoInstallation.deleteTree(work);
        }
    }
}
