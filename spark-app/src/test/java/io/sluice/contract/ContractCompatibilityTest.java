package io.sluice.contract;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

class ContractCompatibilityTest
{
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String BASE = """
            {"type": "object", "additionalProperties": false, "required": ["n", "s"], "properties": {
              "n": {"type": "integer", "minimum": 0, "maximum": 10},
              "s": {"type": "string", "enum": ["a", "b"]},
              "t": {"type": "string", "minLength": 1, "maxLength": 5, "pattern": "^[a-z]+$"},
              "o": {"type": "object", "properties": {"x": {"type": "number"}}},
              "l": {"type": "array", "minItems": 1, "maxItems": 3, "items": {"type": "string", "enum": ["p", "q"]}}}}""";

    @Test
    void checkedInContractsAreCompatible()
    {
        List<CompatibilityFinding> findings = CompatibilityChecker.check(Contracts.registry());

        assertThat(findings).extracting(CompatibilityFinding::describe)
                .containsExactly("compatible tennis.serve v2 data.court_side OPTIONAL_FIELD_ADDED: new optional field of type string");
    }

    @Test
    void identicalVersionsHaveNoFindings()
    {
        assertThat(compare(schema -> {})).isEmpty();
    }

    @Test
    void removedFieldIsBreaking()
    {
        assertThat(compare(schema -> properties(schema).remove("t"))).containsExactly("BREAKING t.x v2 data.t FIELD_REMOVED: field removed");
    }

    @Test
    void retypedFieldIsBreaking()
    {
        assertThat(compare(schema -> properties(schema).putObject("n").put("type", "string")))
                .containsExactly("BREAKING t.x v2 data.n FIELD_RETYPED: type changed from integer to string");
    }

    @Test
    void changedFormatIsBreaking()
    {
        assertThat(compare(schema -> ((ObjectNode) properties(schema).get("s")).remove("enum")))
                .containsExactly("compatible t.x v2 data.s ENUM_WIDENED: values no longer restricted to [a, b]");
        assertThat(compare(schema -> {
            ObjectNode s = (ObjectNode) properties(schema).get("s");
            s.remove("enum");
            s.put("format", "date");
        })).contains("BREAKING t.x v2 data.s FIELD_RETYPED: type changed from string to string (date)");
    }

    @Test
    void boundsChangingTheSilverColumnTypeAreBreaking()
    {
        assertThat(compare(schema -> ((ObjectNode) properties(schema).get("n")).put("maximum", 5_000_000_000L)))
                .containsExactly("BREAKING t.x v2 data.n FIELD_RETYPED: silver column type changes from INT to BIGINT (the bounds decide int or bigint)",
                        "compatible t.x v2 data.n BOUNDS_RELAXED: maximum changed from 10 to 5000000000");
    }

    @Test
    void newRequiredFieldIsBreaking()
    {
        assertThat(compare(schema -> {
            properties(schema).putObject("z").put("type", "boolean");
            ((ArrayNode) schema.get("required")).add("z");
        })).containsExactly("BREAKING t.x v2 data.z REQUIRED_FIELD_ADDED: new required field of type boolean");
    }

    @Test
    void newOptionalFieldIsCompatible()
    {
        assertThat(compare(schema -> properties(schema).putObject("z").put("type", "boolean")))
                .containsExactly("compatible t.x v2 data.z OPTIONAL_FIELD_ADDED: new optional field of type boolean");
    }

    @Test
    void nestedNewOptionalFieldIsCompatible()
    {
        assertThat(compare(schema -> ((ObjectNode) properties(schema).get("o").get("properties")).putObject("y").put("type", "boolean")))
                .containsExactly("compatible t.x v2 data.o.y OPTIONAL_FIELD_ADDED: new optional field of type boolean");
    }

    @Test
    void fieldMadeRequiredIsBreakingAndMadeOptionalIsCompatible()
    {
        assertThat(compare(schema -> ((ArrayNode) schema.get("required")).add("t")))
                .containsExactly("BREAKING t.x v2 data.t FIELD_MADE_REQUIRED: optional field is now required");
        assertThat(compare(schema -> ((ArrayNode) schema.get("required")).remove(1)))
                .containsExactly("compatible t.x v2 data.s FIELD_MADE_OPTIONAL: required field is now optional");
    }

    @Test
    void narrowedEnumIsBreaking()
    {
        assertThat(compare(schema -> ((ObjectNode) properties(schema).get("s")).putArray("enum").add("a")))
                .containsExactly("BREAKING t.x v2 data.s ENUM_NARROWED: values removed: [b]");
    }

    @Test
    void widenedEnumIsCompatible()
    {
        assertThat(compare(schema -> ((ObjectNode) properties(schema).get("s")).putArray("enum").add("a").add("b").add("c")))
                .containsExactly("compatible t.x v2 data.s ENUM_WIDENED: values added: [c]");
    }

    @Test
    void narrowedArrayItemEnumIsBreaking()
    {
        assertThat(compare(schema -> ((ObjectNode) properties(schema).get("l").get("items")).putArray("enum").add("p")))
                .containsExactly("BREAKING t.x v2 data.l[] ENUM_NARROWED: values removed: [q]");
    }

    @Test
    void tightenedBoundsAreBreaking()
    {
        assertThat(compare(schema -> ((ObjectNode) properties(schema).get("n")).put("minimum", 1)))
                .containsExactly("BREAKING t.x v2 data.n BOUNDS_TIGHTENED: minimum changed from 0 to 1");
        assertThat(compare(schema -> ((ObjectNode) properties(schema).get("n")).put("maximum", 9)))
                .containsExactly("BREAKING t.x v2 data.n BOUNDS_TIGHTENED: maximum changed from 10 to 9");
        assertThat(compare(schema -> ((ObjectNode) properties(schema).get("t")).put("maxLength", 4)))
                .containsExactly("BREAKING t.x v2 data.t BOUNDS_TIGHTENED: maxLength changed from 5 to 4");
        assertThat(compare(schema -> ((ObjectNode) properties(schema).get("l")).put("minItems", 2)))
                .containsExactly("BREAKING t.x v2 data.l BOUNDS_TIGHTENED: minItems changed from 1 to 2");
        assertThat(compare(schema -> ((ObjectNode) properties(schema).get("o").get("properties").get("x")).put("maximum", 3)))
                .containsExactly("BREAKING t.x v2 data.o.x BOUNDS_TIGHTENED: maximum changed from none to 3");
    }

    @Test
    void relaxedBoundsAreCompatible()
    {
        assertThat(compare(schema -> ((ObjectNode) properties(schema).get("t")).remove("minLength")))
                .containsExactly("compatible t.x v2 data.t BOUNDS_RELAXED: minLength changed from 1 to none");
        assertThat(compare(schema -> ((ObjectNode) properties(schema).get("l")).put("maxItems", 4)))
                .containsExactly("compatible t.x v2 data.l BOUNDS_RELAXED: maxItems changed from 3 to 4");
    }

    @Test
    void changedPatternIsBreakingAndRemovedIsCompatible()
    {
        assertThat(compare(schema -> ((ObjectNode) properties(schema).get("t")).put("pattern", "^[a-z0-9]+$")))
                .containsExactly("BREAKING t.x v2 data.t PATTERN_CHANGED: pattern changed from ^[a-z]+$ to ^[a-z0-9]+$");
        assertThat(compare(schema -> ((ObjectNode) properties(schema).get("t")).remove("pattern")))
                .containsExactly("compatible t.x v2 data.t PATTERN_REMOVED: pattern ^[a-z]+$ removed");
    }

    @Test
    void additionalPropertiesChanges()
    {
        assertThat(compare(schema -> schema.put("additionalProperties", true)))
                .containsExactly("compatible t.x v2 data ADDITIONAL_PROPERTIES_ALLOWED: additional properties are now allowed");
        assertThat(compare(schema -> ((ObjectNode) properties(schema).get("o")).put("additionalProperties", false)))
                .containsExactly("BREAKING t.x v2 data.o ADDITIONAL_PROPERTIES_DISALLOWED: additional properties are no longer allowed");
    }

    @Test
    void changedTableIsBreaking()
    {
        Contract previous = contract(1, "t", read(BASE));
        Contract next = contract(2, "u", read(BASE));

        assertThat(CompatibilityChecker.compare(previous, next)).extracting(CompatibilityFinding::describe)
                .containsExactly("BREAKING t.x v2 table TABLE_CHANGED: table changed from t to u");
    }

    private static List<String> compare(Consumer<ObjectNode> change)
    {
        ObjectNode next = read(BASE);
        change.accept(next);
        return CompatibilityChecker.compare(contract(1, "t", read(BASE)), contract(2, "t", next)).stream()
                .map(CompatibilityFinding::describe)
                .toList();
    }

    private static ObjectNode properties(ObjectNode schema)
    {
        return (ObjectNode) schema.get("properties");
    }

    private static ObjectNode read(String json)
    {
        try {
            return (ObjectNode) MAPPER.readTree(json);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Contract contract(int version, String table, ObjectNode schema)
    {
        String json = """
                {"dataset": "t.x", "version": %d, "table": "%s", "eventTypes": ["x"], "owner": "o", "description": "d", "schema": %s}"""
                .formatted(version, table, schema);
        return new ContractLoader().parse("t.x/v" + version + ".json", json.getBytes(StandardCharsets.UTF_8));
    }
}
