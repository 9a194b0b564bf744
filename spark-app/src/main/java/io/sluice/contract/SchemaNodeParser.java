package io.sluice.contract;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import static java.util.Objects.requireNonNull;

/**
 * Reads the JSON Schema draft-07 subset of a contract's {@code schema} into {@link SchemaNode}s.
 * Every keyword is checked against what the node's type supports: a keyword enforcement would ignore
 * (oneOf, $ref, exclusiveMinimum, ...) fails loading instead of silently letting records through.
 */
final class SchemaNodeParser
{
    static final String DRAFT_07 = "http://json-schema.org/draft-07/schema#";
    /** Column names Athena and Delta both handle without quoting (Athena lower-cases names). */
    static final Pattern PROPERTY_NAME = Pattern.compile("^[a-z_][a-z0-9_]{0,127}$");

    private static final Set<String> ANNOTATIONS = Set.of("type", "description", "title");
    private static final Set<String> ROOT_ONLY = Set.of("$schema", "$id");
    private static final Map<JsonType, Set<String>> KEYWORDS = Map.of(
            JsonType.OBJECT, Set.of("properties", "required", "additionalProperties"),
            JsonType.ARRAY, Set.of("items", "minItems", "maxItems"),
            JsonType.STRING, Set.of("enum", "minLength", "maxLength", "pattern", "format"),
            JsonType.INTEGER, Set.of("minimum", "maximum"),
            JsonType.NUMBER, Set.of("minimum", "maximum"),
            JsonType.BOOLEAN, Set.of());

    private final String origin;

    SchemaNodeParser(String origin)
    {
        this.origin = requireNonNull(origin, "origin is null");
    }

    SchemaNode parseRoot(JsonNode root, String pointer)
    {
        SchemaNode node = parse(root, pointer, true);
        if (node.type() != JsonType.OBJECT) {
            throw ContractException.invalid(origin, pointer, "the schema of data must have type object, not " + node.type().jsonName());
        }
        return node;
    }

    private SchemaNode parse(JsonNode json, String pointer, boolean root)
    {
        if (!json.isObject()) {
            throw ContractException.invalid(origin, pointer, "a schema must be a JSON object");
        }
        JsonType type = type(json, pointer);
        for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
            String keyword = names.next();
            boolean allowed = ANNOTATIONS.contains(keyword) || KEYWORDS.get(type).contains(keyword) || (root && ROOT_ONLY.contains(keyword));
            if (!allowed) {
                throw ContractException.unsupportedKeyword(origin, pointer + "/" + keyword, keyword);
            }
        }
        if (root && json.has("$schema") && !DRAFT_07.equals(json.get("$schema").asText())) {
            throw ContractException.invalid(origin, pointer + "/$schema", "only JSON Schema draft-07 (" + DRAFT_07 + ") is supported, not " + json.get("$schema"));
        }

        Map<String, SchemaNode> properties = new LinkedHashMap<>();
        Set<String> required = new LinkedHashSet<>();
        boolean additionalProperties = true;
        if (type == JsonType.OBJECT) {
            JsonNode props = json.path("properties");
            if (!props.isObject() || props.isEmpty()) {
                throw ContractException.invalid(origin, pointer + "/properties", "an object must declare at least one property");
            }
            // properties() (Jackson 2.15+) rather than fields(), which Jackson 2.20 (Spark 4.1) deprecates.
            for (Map.Entry<String, JsonNode> field : props.properties()) {
                String childPointer = pointer + "/properties/" + field.getKey();
                if (!PROPERTY_NAME.matcher(field.getKey()).matches()) {
                    throw ContractException.invalid(origin, childPointer, "property names must match " + PROPERTY_NAME.pattern() + " (they become column names)");
                }
                properties.put(field.getKey(), parse(field.getValue(), childPointer, false));
            }
            JsonNode requiredJson = json.path("required");
            if (!requiredJson.isMissingNode()) {
                for (String name : strings(requiredJson, pointer + "/required")) {
                    if (!properties.containsKey(name)) {
                        throw ContractException.invalid(origin, pointer + "/required", "required property '" + name + "' is not declared in properties");
                    }
                    required.add(name);
                }
            }
            JsonNode additional = json.path("additionalProperties");
            if (!additional.isMissingNode()) {
                if (!additional.isBoolean()) {
                    throw ContractException.unsupportedKeyword(origin, pointer + "/additionalProperties", "additionalProperties (as a schema; only true or false is supported)");
                }
                additionalProperties = additional.booleanValue();
            }
        }

        Optional<SchemaNode> items = Optional.empty();
        if (type == JsonType.ARRAY) {
            if (!json.has("items")) {
                throw ContractException.invalid(origin, pointer + "/items", "an array must declare the schema of its items");
            }
            SchemaNode itemNode = parse(json.get("items"), pointer + "/items", false);
            if (itemNode.type() == JsonType.OBJECT || itemNode.type() == JsonType.ARRAY) {
                // Validation of nested containers inside arrays is not implemented: refuse rather than skip it.
                throw ContractException.invalid(origin, pointer + "/items", "arrays of " + itemNode.type().jsonName() + "s are not supported; items must be scalars");
            }
            items = Optional.of(itemNode);
        }

        List<String> enumValues = List.of();
        if (json.has("enum")) {
            enumValues = strings(json.get("enum"), pointer + "/enum");
            if (enumValues.isEmpty() || new HashSet<>(enumValues).size() != enumValues.size()) {
                throw ContractException.invalid(origin, pointer + "/enum", "enum must list distinct values");
            }
        }
        Optional<String> format = optionalText(json, "format", pointer);
        if (format.isPresent() && !format.get().equals(SchemaNode.FORMAT_DATE_TIME) && !format.get().equals(SchemaNode.FORMAT_DATE)) {
            throw ContractException.unsupportedKeyword(origin, pointer + "/format", "format: " + format.get());
        }
        if (format.isPresent() && !enumValues.isEmpty()) {
            throw ContractException.invalid(origin, pointer, "format and enum cannot be combined");
        }
        Optional<String> pattern = optionalText(json, "pattern", pointer);
        if (pattern.isPresent()) {
            try {
                Pattern.compile(pattern.get());
            }
            catch (PatternSyntaxException e) {
                throw ContractException.invalid(origin, pointer + "/pattern", "invalid regular expression: " + e.getDescription());
            }
        }

        Optional<BigDecimal> minimum = number(json, "minimum", pointer, type == JsonType.INTEGER);
        Optional<BigDecimal> maximum = number(json, "maximum", pointer, type == JsonType.INTEGER);
        checkOrder(minimum, maximum, pointer, "minimum", "maximum");
        Optional<Integer> minLength = count(json, "minLength", pointer);
        Optional<Integer> maxLength = count(json, "maxLength", pointer);
        checkOrder(minLength.map(BigDecimal::valueOf), maxLength.map(BigDecimal::valueOf), pointer, "minLength", "maxLength");
        Optional<Integer> minItems = count(json, "minItems", pointer);
        Optional<Integer> maxItems = count(json, "maxItems", pointer);
        checkOrder(minItems.map(BigDecimal::valueOf), maxItems.map(BigDecimal::valueOf), pointer, "minItems", "maxItems");

        return new SchemaNode(type, optionalText(json, "description", pointer), format, enumValues, minimum, maximum,
                minLength, maxLength, pattern, minItems, maxItems, items, properties, required, additionalProperties);
    }

    private JsonType type(JsonNode json, String pointer)
    {
        JsonNode type = json.get("type");
        if (type == null) {
            throw ContractException.invalid(origin, pointer + "/type", "every schema must declare its type");
        }
        if (!type.isTextual()) {
            throw ContractException.invalid(origin, pointer + "/type", "type must be a single type name; an optional field is one left out of required, not a union with null");
        }
        return JsonType.fromJsonName(type.textValue())
                .orElseThrow(() -> ContractException.invalid(origin, pointer + "/type", "unsupported type '" + type.textValue() + "'"));
    }

    private List<String> strings(JsonNode json, String pointer)
    {
        if (!json.isArray()) {
            throw ContractException.invalid(origin, pointer, "expected an array of strings");
        }
        List<String> values = new ArrayList<>();
        for (JsonNode element : json) {
            if (!element.isTextual()) {
                throw ContractException.invalid(origin, pointer, "expected an array of strings, found " + element);
            }
            values.add(element.textValue());
        }
        return values;
    }

    private Optional<String> optionalText(JsonNode json, String keyword, String pointer)
    {
        JsonNode value = json.get(keyword);
        if (value == null) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw ContractException.invalid(origin, pointer + "/" + keyword, keyword + " must be a string");
        }
        return Optional.of(value.textValue());
    }

    private Optional<BigDecimal> number(JsonNode json, String keyword, String pointer, boolean integral)
    {
        JsonNode value = json.get(keyword);
        if (value == null) {
            return Optional.empty();
        }
        if (!value.isNumber() || (integral && !value.isIntegralNumber())) {
            throw ContractException.invalid(origin, pointer + "/" + keyword, keyword + " must be " + (integral ? "an integer" : "a number"));
        }
        return Optional.of(value.decimalValue());
    }

    private Optional<Integer> count(JsonNode json, String keyword, String pointer)
    {
        JsonNode value = json.get(keyword);
        if (value == null) {
            return Optional.empty();
        }
        if (!value.canConvertToInt() || !value.isIntegralNumber() || value.intValue() < 0) {
            throw ContractException.invalid(origin, pointer + "/" + keyword, keyword + " must be a non-negative integer");
        }
        return Optional.of(value.intValue());
    }

    private void checkOrder(Optional<BigDecimal> low, Optional<BigDecimal> high, String pointer, String lowName, String highName)
    {
        if (low.isPresent() && high.isPresent() && low.get().compareTo(high.get()) > 0) {
            throw ContractException.invalid(origin, pointer, lowName + " " + low.get() + " is greater than " + highName + " " + high.get());
        }
    }
}
