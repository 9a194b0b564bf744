package io.sluice.source.kinesis;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Splits a record written by the Kinesis Producer Library's aggregation into its user records.
 * The format is: magic {@code F3 89 9A C2}, a protobuf {@code AggregatedRecord}, and the MD5 of that protobuf.
 * <pre>
 * message AggregatedRecord { repeated string partition_key_table = 1; repeated string explicit_hash_key_table = 2; repeated Record records = 3; }
 * message Record { required uint64 partition_key_index = 1; optional uint64 explicit_hash_key_index = 2; required bytes data = 3; repeated Tag tags = 4; }
 * </pre>
 * Like the KCL, anything that does not decode cleanly or fails the checksum is treated as an ordinary record.
 */
public final class KplDeaggregator
{
    private static final byte[] MAGIC = {(byte) 0xF3, (byte) 0x89, (byte) 0x9A, (byte) 0xC2};
    private static final int DIGEST_LENGTH = 16;

    private KplDeaggregator() {}

    public record UserRecord(String partitionKey, byte[] data)
    {
        public UserRecord
        {
            requireNonNull(partitionKey, "partitionKey is null");
            requireNonNull(data, "data is null");
        }
    }

    /** The user records of an aggregated record, or empty when {@code data} is not a valid aggregate. */
    public static Optional<List<UserRecord>> deaggregate(byte[] data)
    {
        requireNonNull(data, "data is null");
        if (data.length < MAGIC.length + DIGEST_LENGTH || !Arrays.equals(data, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            return Optional.empty();
        }
        int start = MAGIC.length;
        int end = data.length - DIGEST_LENGTH;
        if (!Arrays.equals(md5(data, start, end), 0, DIGEST_LENGTH, data, end, data.length)) {
            return Optional.empty();
        }
        try {
            return Optional.of(decode(data, start, end));
        }
        catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static List<UserRecord> decode(byte[] buffer, int start, int end)
    {
        List<String> partitionKeys = new ArrayList<>();
        List<Long> keyIndexes = new ArrayList<>();
        List<byte[]> payloads = new ArrayList<>();
        Reader reader = new Reader(buffer, start, end);
        while (reader.hasMore()) {
            long tag = reader.varint();
            int field = (int) (tag >>> 3);
            int wireType = (int) (tag & 7);
            if (field == 1 && wireType == 2) {
                partitionKeys.add(new String(reader.bytes(), StandardCharsets.UTF_8));
            }
            else if (field == 3 && wireType == 2) {
                int length = reader.length();
                Reader record = new Reader(buffer, reader.position, reader.position + length);
                reader.position += length;
                long keyIndex = -1;
                byte[] payload = null;
                while (record.hasMore()) {
                    long recordTag = record.varint();
                    int recordField = (int) (recordTag >>> 3);
                    int recordWireType = (int) (recordTag & 7);
                    if (recordField == 1 && recordWireType == 0) {
                        keyIndex = record.varint();
                    }
                    else if (recordField == 3 && recordWireType == 2) {
                        payload = record.bytes();
                    }
                    else {
                        record.skip(recordWireType);
                    }
                }
                if (keyIndex < 0 || payload == null) {
                    throw new IllegalArgumentException("record without partition key index or data");
                }
                keyIndexes.add(keyIndex);
                payloads.add(payload);
            }
            else {
                reader.skip(wireType);
            }
        }
        List<UserRecord> records = new ArrayList<>(payloads.size());
        for (int i = 0; i < payloads.size(); i++) {
            long index = keyIndexes.get(i);
            if (index >= partitionKeys.size()) {
                throw new IllegalArgumentException("partition key index out of range: " + index);
            }
            records.add(new UserRecord(partitionKeys.get((int) index), payloads.get(i)));
        }
        return records;
    }

    /** Builds an aggregated record, the inverse of {@link #deaggregate}: for {@code sluice produce --aggregate} and tests. */
    public static byte[] aggregate(List<UserRecord> records)
    {
        List<String> keys = records.stream().map(UserRecord::partitionKey).distinct().toList();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (String key : keys) {
            writeBytes(body, 1, key.getBytes(StandardCharsets.UTF_8));
        }
        for (UserRecord record : records) {
            ByteArrayOutputStream inner = new ByteArrayOutputStream();
            writeVarint(inner, (1 << 3));
            writeVarint(inner, keys.indexOf(record.partitionKey()));
            writeBytes(inner, 3, record.data());
            writeBytes(body, 3, inner.toByteArray());
        }
        byte[] protobuf = body.toByteArray();
        byte[] result = new byte[MAGIC.length + protobuf.length + DIGEST_LENGTH];
        System.arraycopy(MAGIC, 0, result, 0, MAGIC.length);
        System.arraycopy(protobuf, 0, result, MAGIC.length, protobuf.length);
        System.arraycopy(md5(protobuf, 0, protobuf.length), 0, result, MAGIC.length + protobuf.length, DIGEST_LENGTH);
        return result;
    }

    private static void writeBytes(ByteArrayOutputStream out, int field, byte[] bytes)
    {
        writeVarint(out, ((long) field << 3) | 2);
        writeVarint(out, bytes.length);
        out.writeBytes(bytes);
    }

    private static void writeVarint(ByteArrayOutputStream out, long value)
    {
        while ((value & ~0x7FL) != 0) {
            out.write((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.write((int) value);
    }

    private static byte[] md5(byte[] data, int from, int to)
    {
        try {
            MessageDigest digest = MessageDigest.getInstance("MD5");
            digest.update(data, from, to - from);
            return digest.digest();
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Cannot check KPL records: MD5 unavailable", e);
        }
    }

    private static final class Reader
    {
        private final byte[] buffer;
        private final int end;
        private int position;

        Reader(byte[] buffer, int start, int end)
        {
            if (start < 0 || end > buffer.length || start > end) {
                throw new IllegalArgumentException("truncated message");
            }
            this.buffer = buffer;
            this.position = start;
            this.end = end;
        }

        boolean hasMore()
        {
            return position < end;
        }

        long varint()
        {
            long result = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (position >= end) {
                    throw new IllegalArgumentException("truncated varint");
                }
                byte b = buffer[position++];
                result |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return result;
                }
            }
            throw new IllegalArgumentException("malformed varint");
        }

        int length()
        {
            long length = varint();
            if (length < 0 || length > end - position) {
                throw new IllegalArgumentException("truncated field");
            }
            return (int) length;
        }

        byte[] bytes()
        {
            int length = length();
            byte[] bytes = Arrays.copyOfRange(buffer, position, position + length);
            position += length;
            return bytes;
        }

        void skip(int wireType)
        {
            switch (wireType) {
                case 0 -> varint();
                case 1 -> advance(8);
                case 2 -> advance(length());
                case 5 -> advance(4);
                default -> throw new IllegalArgumentException("unsupported wire type " + wireType);
            }
        }

        private void advance(int count)
        {
            if (count > end - position) {
                throw new IllegalArgumentException("truncated field");
            }
            position += count;
        }
    }
}
