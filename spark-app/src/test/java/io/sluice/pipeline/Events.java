package io.sluice.pipeline;

import io.sluice.table.RawRecordColumns;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Valid tennis CloudEvents to start test records from, and raw-record DataFrames built from payloads. */
final class Events
{
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final Instant ARRIVAL = Instant.parse("2026-06-29T13:05:13Z");

    private Events() {}

    static ObjectNode serve(int version)
    {
        ObjectNode event = envelope("io.sluice.tennis.serve.measured", "urn:sluice:producer:radar-gun", "urn:sluice:contract:tennis.serve:" + version);
        ObjectNode data = event.putObject("data");
        data.put("match_id", "M0042");
        data.put("player_id", "p-alcaraz");
        data.put("set_number", 2);
        data.put("game_number", 7);
        data.put("serve_number", 1);
        data.put("speed_kmh", 212.4);
        data.put("spin_rpm", 2650);
        data.put("outcome", "ace");
        data.put("measured_at", "2026-06-29T13:05:12.101Z");
        if (version >= 2) {
            data.put("court_side", "deuce");
        }
        return event;
    }

    static ObjectNode point()
    {
        ObjectNode event = envelope("io.sluice.tennis.point.scored", "urn:sluice:producer:courtside-scorer", "urn:sluice:contract:tennis.point:1");
        ObjectNode data = event.putObject("data");
        data.put("match_id", "M0042");
        data.put("set_number", 2);
        data.put("game_number", 7);
        data.put("point_number", 3);
        data.put("server_id", "p-alcaraz");
        data.put("winner_id", "p-sinner");
        ObjectNode score = data.putObject("score");
        score.put("server", "15");
        score.put("receiver", "30");
        data.put("rally_length", 9);
        data.putArray("shots").add("serve").add("backhand").add("forehand");
        data.put("ended_by", "winner");
        return event;
    }

    static ObjectNode match()
    {
        ObjectNode event = envelope("io.sluice.tennis.match.status_changed", "urn:sluice:producer:umpire-tablet", "urn:sluice:contract:tennis.match:1");
        ObjectNode data = event.putObject("data");
        data.put("match_id", "M0042");
        data.put("status", "in_progress");
        data.put("tournament", "Sluice Open");
        data.putArray("players").add("p-alcaraz").add("p-sinner");
        return event;
    }

    static ObjectNode with(ObjectNode event, Consumer<ObjectNode> change)
    {
        change.accept(event);
        return event;
    }

    /** The same event with {@code data} written before every envelope attribute, as some producers order it. */
    static ObjectNode dataFirst(ObjectNode event)
    {
        ObjectNode reordered = MAPPER.createObjectNode();
        reordered.set("data", event.get("data"));
        reordered.setAll(event);
        return reordered;
    }

    static ObjectNode data(ObjectNode event)
    {
        return (ObjectNode) event.get("data");
    }

    static byte[] bytes(ObjectNode event)
    {
        try {
            return MAPPER.writeValueAsBytes(event);
        }
        catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] utf8(String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Raw records with sequence numbers "0", "1", ... in payload order. */
    static Dataset<Row> raw(SparkSession spark, List<byte[]> payloads)
    {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < payloads.size(); i++) {
            rows.add(RowFactory.create(payloads.get(i), "tennis-live", "pk-" + i, Integer.toString(i), Timestamp.from(ARRIVAL),
                    i % 2 == 0 ? "shardId-000000000000" : null));
        }
        return spark.createDataFrame(rows, RawRecordColumns.SCHEMA);
    }

    private static ObjectNode envelope(String type, String source, String dataschema)
    {
        ObjectNode event = MAPPER.createObjectNode();
        event.put("specversion", "1.0");
        event.put("id", java.util.UUID.nameUUIDFromBytes(utf8(type + dataschema)).toString());
        event.put("source", source);
        event.put("type", type);
        event.put("time", "2026-06-29T13:05:12.345Z");
        event.put("dataschema", dataschema);
        event.put("subject", "M0042");
        event.put("datacontenttype", "application/json");
        return event;
    }
}
