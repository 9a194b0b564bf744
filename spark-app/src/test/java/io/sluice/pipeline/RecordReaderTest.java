package io.sluice.pipeline;

import io.sluice.contract.Contracts;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static io.sluice.pipeline.Events.bytes;
import static io.sluice.pipeline.Events.point;
import static org.assertj.core.api.Assertions.assertThat;

/** The reader on its own, without Spark: what a task gets after the reader was shipped to it. */
class RecordReaderTest
{
    private final RecordReader reader = new RecordReader(Contracts.registry(), EnforcementLimits.defaults());

    @Test
    void readsTheSameAfterJavaSerialization()
            throws IOException, ClassNotFoundException
    {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(buffer)) {
            out.writeObject(reader);
        }
        RecordReader shipped;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(buffer.toByteArray()))) {
            shipped = (RecordReader) in.readObject();
        }

        InternalRow record = shipped.read(bytes(point()));

        assertThat(reasons(record)).isEmpty();
        InternalRow data = record.getStruct(shipped.schema().fieldIndex(RecordReader.DATA_PREFIX + "tennis_points"), 10);
        assertThat(data.getUTF8String(0).toString()).isEqualTo("M0042");
        assertThat(data.getLong(3)).isEqualTo(3L);
        assertThat(data.getStruct(6, 2).getUTF8String(1).toString()).isEqualTo("30");
        assertThat(data.getArray(8).numElements()).isEqualTo(3);
    }

    @Test
    void nestingFarBeyondTheLimitIsAReasonNotAStackOverflow()
    {
        String deep = "[".repeat(400_000) + "]".repeat(400_000);
        InternalRow record = reader.read(("{\"ext\":" + deep + "}").getBytes(StandardCharsets.UTF_8));

        assertThat(reasons(record)).containsExactly("$ TOO_DEEPLY_NESTED");
    }

    @Test
    void malformedAfterTooDeepIsMalformed()
    {
        String deep = "[".repeat(100) + "]".repeat(99);
        InternalRow record = reader.read(("{\"ext\":" + deep + "}").getBytes(StandardCharsets.UTF_8));

        assertThat(reasons(record)).containsExactly("$ MALFORMED_JSON");
    }

    private List<String> reasons(InternalRow record)
    {
        ArrayData array = record.getArray(reader.schema().fieldIndex(RecordReader.REASONS));
        List<String> reasons = new ArrayList<>();
        for (int i = 0; i < array.numElements(); i++) {
            InternalRow reason = array.getStruct(i, 3);
            reasons.add(reason.getUTF8String(0) + " " + reason.getUTF8String(1));
        }
        return reasons;
    }
}
