package io.sluice.spark;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeProjection;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.Platform;

import java.util.Iterator;
import java.util.NoSuchElementException;

import static java.util.Objects.requireNonNull;

/**
 * Rows packed end to end into byte arrays of about {@link #CHUNK_BYTES}, to be kept by Spark's block manager as a few
 * large objects instead of one object per row. A row kept on its own is serialized and deserialized through a Java
 * object stream by every job that reads it (a fifth of a micro-batch's executor time, when six writes read the batch);
 * a packed row is one copy of its bytes in, and read back in place: {@link #unpack} points an {@link UnsafeRow} at the
 * chunk, copying nothing.
 *
 * <p>A chunk is a sequence of rows, each an 8-byte length (keeping the row on the 8-byte alignment it was written
 * with) followed by the row's bytes, and ends where its first 8 bytes say.
 */
final class PackedRows
{
    /** Under the size at which the G1 collector stores an array apart: half a region, 1 MB on heaps of 4 GB and more. */
    static final int CHUNK_BYTES = 512 * 1024;
    private static final int HEADER_BYTES = Long.BYTES;

    private PackedRows() {}

    /** The rows of each partition packed into chunks; a row larger than a chunk gets a chunk of its own size. */
    static JavaRDD<byte[]> pack(JavaRDD<InternalRow> rows, StructType schema)
    {
        requireNonNull(rows, "rows is null");
        requireNonNull(schema, "schema is null");
        return rows.mapPartitions(partition -> new Packer(partition, schema, CHUNK_BYTES));
    }

    /** The rows of {@link #pack}'s chunks, each pointing into its chunk. */
    static JavaRDD<InternalRow> unpack(JavaRDD<byte[]> chunks, int fields)
    {
        requireNonNull(chunks, "chunks is null");
        if (fields < 0) {
            throw new IllegalArgumentException("Invalid field count: " + fields);
        }
        return chunks.mapPartitions(partition -> new Unpacker(partition, fields));
    }

    /** Packs rows into chunks as they are asked for, so a partition's rows are never all held twice. */
    static final class Packer
            implements Iterator<byte[]>
    {
        private final Iterator<InternalRow> rows;
        private final int chunkBytes;
        private final StructType schema;
        /** Turns the rows an operator may hand over in another form into {@link UnsafeRow}s; made when first needed. */
        private UnsafeProjection projection;
        /** A row read from {@link #rows} that did not fit the chunk before. */
        private UnsafeRow pending;

        Packer(Iterator<InternalRow> rows, StructType schema, int chunkBytes)
        {
            this.rows = requireNonNull(rows, "rows is null");
            this.schema = requireNonNull(schema, "schema is null");
            if (chunkBytes <= 2 * HEADER_BYTES) {
                throw new IllegalArgumentException("Invalid chunk size: %d bytes (must hold two %d-byte headers)".formatted(chunkBytes, HEADER_BYTES));
            }
            this.chunkBytes = chunkBytes;
        }

        @Override
        public boolean hasNext()
        {
            return pending != null || rows.hasNext();
        }

        @Override
        public byte[] next()
        {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            UnsafeRow first = pending != null ? pending : unsafe(rows.next());
            pending = null;
            byte[] chunk = new byte[Math.max(chunkBytes, HEADER_BYTES + HEADER_BYTES + first.getSizeInBytes())];
            int used = append(chunk, HEADER_BYTES, first);
            while (rows.hasNext()) {
                UnsafeRow row = unsafe(rows.next());
                if (used + HEADER_BYTES + row.getSizeInBytes() > chunk.length) {
                    // The next operator's row buffer is reused for the row after it: keep a copy until the next chunk.
                    pending = row.copy();
                    break;
                }
                used = append(chunk, used, row);
            }
            Platform.putLong(chunk, Platform.BYTE_ARRAY_OFFSET, used);
            return chunk;
        }

        private UnsafeRow unsafe(InternalRow row)
        {
            if (row instanceof UnsafeRow unsafe) {
                return unsafe;
            }
            if (projection == null) {
                projection = UnsafeProjection.create(schema);
            }
            return projection.apply(row);
        }

        private static int append(byte[] chunk, int offset, UnsafeRow row)
        {
            int size = row.getSizeInBytes();
            Platform.putLong(chunk, Platform.BYTE_ARRAY_OFFSET + offset, size);
            row.writeToMemory(chunk, Platform.BYTE_ARRAY_OFFSET + offset + HEADER_BYTES);
            return offset + HEADER_BYTES + size;
        }
    }

    /** Reads the rows of chunks in order; each row is a new {@link UnsafeRow} over its chunk's bytes. */
    static final class Unpacker
            implements Iterator<InternalRow>
    {
        private final Iterator<byte[]> chunks;
        private final int fields;
        private byte[] chunk;
        private int offset;
        private int end;

        Unpacker(Iterator<byte[]> chunks, int fields)
        {
            this.chunks = requireNonNull(chunks, "chunks is null");
            this.fields = fields;
        }

        @Override
        public boolean hasNext()
        {
            while (chunk == null || offset >= end) {
                if (!chunks.hasNext()) {
                    return false;
                }
                chunk = chunks.next();
                end = (int) Platform.getLong(chunk, Platform.BYTE_ARRAY_OFFSET);
                offset = HEADER_BYTES;
            }
            return true;
        }

        @Override
        public InternalRow next()
        {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            int size = (int) Platform.getLong(chunk, Platform.BYTE_ARRAY_OFFSET + offset);
            // A new row per record, not one reused: a reader may keep rows it has read (a sort, a buffered write).
            UnsafeRow row = new UnsafeRow(fields);
            row.pointTo(chunk, Platform.BYTE_ARRAY_OFFSET + offset + HEADER_BYTES, size);
            offset += HEADER_BYTES + size;
            return row;
        }
    }
}
