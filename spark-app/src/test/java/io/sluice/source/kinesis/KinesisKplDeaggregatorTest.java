package io.sluice.source.kinesis;

import io.sluice.source.kinesis.KplDeaggregator.UserRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

final class KinesisKplDeaggregatorTest
{
    @Test
    void decodesAHandBuiltAggregate()
            throws Exception
    {
        // AggregatedRecord { partition_key_table: ["a", "bc"]; records: [{pk 0, data "x"}, {pk 1, explicit hash key 0, data "yz", tag}] }
        byte[] protobuf = HexFormat.of().parseHex(
                "0a0161" + "0a026263" + "1201" + "31"           // partition keys "a", "bc"; explicit hash key table ["1"]
                        + "1a05" + "0800" + "1a0178"              // record: pk index 0, data "x"
                        + "1a0e" + "0801" + "1000" + "1a02797a" + "2204" + "0a017420"); // pk 1, ehk 0, data "yz", tag {key "t", skip}
        byte[] aggregate = concat(HexFormat.of().parseHex("f3899ac2"), protobuf, MessageDigest.getInstance("MD5").digest(protobuf));

        assertThat(KplDeaggregator.deaggregate(aggregate)).hasValueSatisfying(records -> {
            assertThat(records).hasSize(2);
            assertThat(records.get(0).partitionKey()).isEqualTo("a");
            assertThat(new String(records.get(0).data(), StandardCharsets.UTF_8)).isEqualTo("x");
            assertThat(records.get(1).partitionKey()).isEqualTo("bc");
            assertThat(new String(records.get(1).data(), StandardCharsets.UTF_8)).isEqualTo("yz");
        });
    }

    @Test
    void roundTripsWithAggregate()
    {
        List<UserRecord> records = List.of(
                new UserRecord("k1", "one".getBytes(StandardCharsets.UTF_8)),
                new UserRecord("k2", new byte[0]),
                new UserRecord("k1", "three".getBytes(StandardCharsets.UTF_8)));
        List<UserRecord> decoded = KplDeaggregator.deaggregate(KplDeaggregator.aggregate(records)).orElseThrow();
        assertThat(decoded).extracting(UserRecord::partitionKey).containsExactly("k1", "k2", "k1");
        assertThat(decoded).extracting(record -> new String(record.data(), StandardCharsets.UTF_8)).containsExactly("one", "", "three");
    }

    @Test
    void leavesOrdinaryAndDamagedRecordsAlone()
            throws Exception
    {
        assertThat(KplDeaggregator.deaggregate("{\"plain\":true}".getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(KplDeaggregator.deaggregate(new byte[0])).isEmpty();

        byte[] aggregate = KplDeaggregator.aggregate(List.of(new UserRecord("k", "v".getBytes(StandardCharsets.UTF_8))));
        byte[] badChecksum = aggregate.clone();
        badChecksum[badChecksum.length - 1] ^= 1;
        assertThat(KplDeaggregator.deaggregate(badChecksum)).isEmpty();

        byte[] cut = HexFormat.of().parseHex("1a05");
        byte[] truncated = concat(HexFormat.of().parseHex("f3899ac2"), cut, MessageDigest.getInstance("MD5").digest(cut));
        assertThat(KplDeaggregator.deaggregate(truncated)).isEmpty();
    }

    private static byte[] concat(byte[]... parts)
    {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
