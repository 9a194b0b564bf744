package io.sluice.contract;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class ContractSchemaConverterTest
{
    @Test
    void convertsServeContract()
    {
        StructType type = SparkSchemaConverter.toStructType(Contracts.registry().contract("tennis.serve", 2).orElseThrow().schema());

        StructType expected = new StructType()
                .add("match_id", DataTypes.StringType, false)
                .add("player_id", DataTypes.StringType, false)
                .add("set_number", DataTypes.IntegerType, false)
                .add("game_number", DataTypes.IntegerType, false)
                .add("serve_number", DataTypes.IntegerType, false)
                .add("speed_kmh", DataTypes.DoubleType, false)
                .add("spin_rpm", DataTypes.IntegerType, true)
                .add("outcome", DataTypes.StringType, false)
                .add("measured_at", DataTypes.TimestampType, false)
                .add("court_side", DataTypes.StringType, true);
        assertThat(type.fieldNames()).containsExactly(expected.fieldNames());
        assertThat(type.toDDL()).isEqualTo(expectedDdl(expected, type));
        assertThat(type.apply("speed_kmh").getComment().get()).isEqualTo("Ball speed in km/h.");
    }

    @Test
    void convertsNestedObjectsArraysAndDates()
    {
        StructType point = SparkSchemaConverter.toStructType(Contracts.registry().contract("tennis.point", 1).orElseThrow().schema());
        StructType match = SparkSchemaConverter.toStructType(Contracts.registry().contract("tennis.match", 1).orElseThrow().schema());

        assertThat(point.apply("score").dataType()).isEqualTo(new StructType()
                .add("server", DataTypes.StringType, false)
                .add("receiver", DataTypes.StringType, false));
        assertThat(point.apply("score").nullable()).isFalse();
        assertThat(point.apply("shots").dataType()).isEqualTo(DataTypes.createArrayType(DataTypes.StringType, false));
        assertThat(point.apply("shots").nullable()).isTrue();
        // point_number has no maximum: it may not fit in an int.
        assertThat(point.apply("point_number").dataType()).isEqualTo(DataTypes.LongType);
        assertThat(match.apply("scheduled_start").dataType()).isEqualTo(DataTypes.DateType);
        assertThat(match.apply("players").dataType()).isEqualTo(DataTypes.createArrayType(DataTypes.StringType, false));
    }

    @Test
    void mapsEveryScalarType()
    {
        String json = """
                {"dataset": "t.x", "version": 1, "table": "t", "eventTypes": ["x"], "owner": "o", "description": "d", "schema":
                 {"type": "object", "required": ["i"], "properties": {
                   "i": {"type": "integer"}, "big": {"type": "integer", "minimum": 0, "maximum": 3000000000},
                   "small": {"type": "integer", "minimum": -5, "maximum": 5}, "n": {"type": "number"}, "b": {"type": "boolean"},
                   "s": {"type": "string"}, "e": {"type": "string", "enum": ["a"]}, "ts": {"type": "string", "format": "date-time"},
                   "d": {"type": "string", "format": "date"}, "o": {"type": "object", "properties": {"x": {"type": "boolean"}}}}}}""";
        Contract contract = new ContractLoader().parse("t.x/v1.json", json.getBytes(StandardCharsets.UTF_8));

        assertThat(SparkSchemaConverter.toStructType(contract.schema()).toDDL()).isEqualTo(
                "i BIGINT NOT NULL,big BIGINT,small INT,n DOUBLE,b BOOLEAN,s STRING,e STRING,ts TIMESTAMP,d DATE,o STRUCT<x: BOOLEAN>");
    }

    private static String expectedDdl(StructType expected, StructType actual)
    {
        // Comments are part of the DDL: copy them from the actual type so the comparison is about names, types, nullability.
        StructType withComments = new StructType();
        for (var field : expected.fields()) {
            withComments = withComments.add(field.name(), field.dataType(), field.nullable(), actual.apply(field.name()).metadata());
        }
        return withComments.toDDL();
    }
}
