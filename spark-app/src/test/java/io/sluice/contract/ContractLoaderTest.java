package io.sluice.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.table.SilverColumns;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ContractLoaderTest
{
    private final ContractLoader loader = new ContractLoader();

    @Test
    void loadsTheCheckedInContracts()
    {
        ContractRegistry registry = Contracts.registry();

        assertThat(registry.datasets()).containsExactly("tennis.match", "tennis.point", "tennis.serve");
        assertThat(registry.contractsByTable()).containsOnlyKeys("tennis_match_status", "tennis_points", "tennis_serves");
        Contract serve = registry.byDataschema("urn:sluice:contract:tennis.serve:1").orElseThrow();
        assertThat(serve.table()).isEqualTo("tennis_serves");
        assertThat(serve.eventTypes()).containsExactly("io.sluice.tennis.serve.measured");
        assertThat(serve.schema().required()).containsExactly("match_id", "player_id", "set_number", "game_number", "serve_number",
                "speed_kmh", "outcome", "measured_at");
        assertThat(serve.schema().properties().get("outcome").enumValues()).containsExactly("ace", "in", "fault", "double_fault", "let");
        assertThat(registry.latest("tennis.serve").orElseThrow().version()).isEqualTo(2);
        assertThat(registry.versions("tennis.serve")).extracting(Contract::version).containsExactly(1, 2);
        assertThat(registry.contract("tennis.serve", 3)).isEmpty();
        assertThat(registry.byDataschema("urn:sluice:contract:tennis.serve:3")).isEmpty();
    }

    @Test
    void classpathIndexListsEveryContractFile()
            throws IOException
    {
        String index = Files.readString(Contracts.directory().resolve(ContractLoader.INDEX_FILE), StandardCharsets.UTF_8);
        assertThat(index.lines().filter(line -> !line.isBlank()).toList())
                .as("contracts/index.txt must list exactly the contract files (it is the classpath listing)")
                .isEqualTo(ContractLoader.listDirectory(Contracts.directory()));
    }

    @Test
    void loadsFromTheClasspath()
    {
        ContractRegistry registry = loader.loadClasspath(getClass().getClassLoader());

        assertThat(registry.contracts()).extracting(Contract::dataschema).containsExactlyElementsOf(
                Contracts.registry().contracts().stream().map(Contract::dataschema).toList());
    }

    @Test
    void envelopeContractRequiresWhatTheParserEnforces()
            throws IOException
    {
        JsonNode envelope = new ObjectMapper().readTree(Contracts.directory().resolve("_envelope/v1.json").toFile());
        List<String> required = new ArrayList<>();
        envelope.at("/schema/required").forEach(node -> required.add(node.textValue()));

        assertThat(required).containsExactly("specversion", "id", "source", "type", "time", "dataschema");
        java.util.regex.Pattern dataschema = java.util.regex.Pattern.compile(envelope.at("/schema/properties/dataschema/pattern").textValue());
        for (String uri : List.of("urn:sluice:contract:tennis.serve:1", "urn:sluice:contract:tennis.serve:0", "urn:sluice:contract:Tennis:1", "urn:x:1")) {
            assertThat(dataschema.matcher(uri).matches()).as(uri).isEqualTo(Contract.DATASCHEMA_PATTERN.matcher(uri).matches());
        }
    }

    @Test
    void rejectsUnsupportedKeywordNamingFileKeywordAndPath()
    {
        assertThatThrownBy(() -> parse("tennis.x/v1.json", contract("tennis.x", 1,
                "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"},\"b\":{\"oneOf\":[],\"type\":\"string\"}}}")))
                .isInstanceOf(ContractException.class)
                .hasMessage("Cannot load contract tennis.x/v1.json: unsupported JSON Schema keyword 'oneOf' at /schema/properties/b/oneOf");
    }

    @Test
    void rejectsKeywordNotApplicableToType()
    {
        assertThatThrownBy(() -> parse("tennis.x/v1.json", contract("tennis.x", 1,
                "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\",\"minimum\":3}}}")))
                .hasMessage("Cannot load contract tennis.x/v1.json: unsupported JSON Schema keyword 'minimum' at /schema/properties/a/minimum");
    }

    @Test
    void rejectsUnsupportedFormat()
    {
        assertThatThrownBy(() -> parse("tennis.x/v1.json", contract("tennis.x", 1,
                "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\",\"format\":\"email\"}}}")))
                .hasMessage("Cannot load contract tennis.x/v1.json: unsupported JSON Schema keyword 'format: email' at /schema/properties/a/format");
    }

    @Test
    void rejectsNullableUnionTypes()
    {
        assertThatThrownBy(() -> parse("tennis.x/v1.json", contract("tennis.x", 1,
                "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":[\"string\",\"null\"]}}}")))
                .hasMessage("Invalid contract tennis.x/v1.json at /schema/properties/a/type: type must be a single type name; "
                        + "an optional field is one left out of required, not a union with null");
    }

    @Test
    void rejectsRequiredPropertyThatIsNotDeclared()
    {
        assertThatThrownBy(() -> parse("tennis.x/v1.json", contract("tennis.x", 1,
                "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"}},\"required\":[\"b\"]}")))
                .hasMessage("Invalid contract tennis.x/v1.json at /schema/required: required property 'b' is not declared in properties");
    }

    @Test
    void rejectsFileNameNotMatchingDatasetAndVersion()
    {
        assertThatThrownBy(() -> parse("tennis.x/v2.json", contract("tennis.x", 1, "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"}}}")))
                .hasMessage("Invalid contract tennis.x/v2.json at /: file name does not match dataset tennis.x version 1 (expected tennis.x/v1.json)");
    }

    @Test
    void rejectsInvalidPattern()
    {
        assertThatThrownBy(() -> parse("tennis.x/v1.json", contract("tennis.x", 1,
                "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\",\"pattern\":\"[a-\"}}}")))
                .hasMessageStartingWith("Invalid contract tennis.x/v1.json at /schema/properties/a/pattern: invalid regular expression");
    }

    @Test
    void rejectsPropertyCollidingWithNothingButBadColumnNames()
    {
        assertThatThrownBy(() -> parse("tennis.x/v1.json", contract("tennis.x", 1,
                "{\"type\":\"object\",\"properties\":{\"Bad-Name\":{\"type\":\"string\"}}}")))
                .hasMessage("Invalid contract tennis.x/v1.json at /schema/properties/Bad-Name: property names must match ^[a-z_][a-z0-9_]{0,127}$ (they become column names)");
        assertThat(SilverColumns.RESERVED).contains("event_id", "ingest_time", "event_date");
    }

    @Test
    void rejectsTwoDatasetsWritingOneTable()
    {
        Contract a = parse("a.x/v1.json", contract("a.x", 1, "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"}}}"));
        Contract b = parse("b.x/v1.json", contract("b.x", 1, "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"}}}"));

        assertThatThrownBy(() -> new ContractRegistry(List.of(a, b)))
                .hasMessage("Invalid contract set: table t is used by datasets a.x and b.x");
    }

    @Test
    void rejectsUnknownTopLevelKey()
    {
        String json = contract("tennis.x", 1, "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"}}}").replaceFirst("\\{", "{\"tabel\":\"x\",");
        assertThatThrownBy(() -> parse("tennis.x/v1.json", json))
                .hasMessage("Invalid contract tennis.x/v1.json: unknown key 'tabel' (allowed: dataset, description, eventTypes, examples, owner, schema, table, version)");
    }

    private Contract parse(String origin, String json)
    {
        return loader.parse(origin, json.getBytes(StandardCharsets.UTF_8));
    }

    private static String contract(String dataset, int version, String schema)
    {
        return """
                {"dataset": "%s", "version": %d, "table": "t", "eventTypes": ["x.y"], "owner": "o@example.com",
                 "description": "d", "schema": %s}""".formatted(dataset, version, schema);
    }
}
