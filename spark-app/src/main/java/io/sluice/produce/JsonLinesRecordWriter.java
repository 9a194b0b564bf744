package io.sluice.produce;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static java.util.Objects.requireNonNull;

/**
 * Writes each record's payload as one line, what a raw archive or an export holds; a {@code .gz} name compresses.
 * A payload that contains a line break (never generated, but possible in principle) would split a record, so it is refused.
 */
public final class JsonLinesRecordWriter
        implements RecordWriter
{
    private final Path path;
    private final OutputStream out;

    public JsonLinesRecordWriter(Path path)
    {
        this.path = requireNonNull(path, "path is null");
        try {
            if (path.toAbsolutePath().getParent() != null) {
                Files.createDirectories(path.toAbsolutePath().getParent());
            }
            OutputStream file = Files.newOutputStream(path);
            this.out = new BufferedOutputStream(path.toString().endsWith(".gz") ? new GZIPOutputStream(file, 1 << 16) : file, 1 << 16);
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot create " + path, e);
        }
    }

    @Override
    public void write(List<ProducedRecord> records)
    {
        try {
            for (ProducedRecord record : records) {
                for (byte b : record.payload()) {
                    if (b == '\n' || b == '\r') {
                        throw new IllegalArgumentException("Cannot write a record with a line break to JSON lines: " + path);
                    }
                }
                out.write(record.payload());
                out.write('\n');
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + path, e);
        }
    }

    @Override
    public void close()
    {
        try {
            out.close();
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot close " + path, e);
        }
    }
}
