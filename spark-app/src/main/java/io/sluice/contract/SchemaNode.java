package io.sluice.contract;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * One node of the JSON Schema subset contracts use. Only the keywords modelled here are accepted by
 * {@link SchemaNodeParser}; anything else fails loading, so enforcement never silently ignores a rule.
 */
public record SchemaNode(
        JsonType type,
        Optional<String> description,
        Optional<String> format,
        List<String> enumValues,
        Optional<BigDecimal> minimum,
        Optional<BigDecimal> maximum,
        Optional<Integer> minLength,
        Optional<Integer> maxLength,
        Optional<String> pattern,
        Optional<Integer> minItems,
        Optional<Integer> maxItems,
        Optional<SchemaNode> items,
        Map<String, SchemaNode> properties,
        Set<String> required,
        boolean additionalProperties)
{
    public static final String FORMAT_DATE_TIME = "date-time";
    public static final String FORMAT_DATE = "date";

    public SchemaNode
    {
        requireNonNull(type, "type is null");
        requireNonNull(description, "description is null");
        requireNonNull(format, "format is null");
        enumValues = List.copyOf(requireNonNull(enumValues, "enumValues is null"));
        requireNonNull(minimum, "minimum is null");
        requireNonNull(maximum, "maximum is null");
        requireNonNull(minLength, "minLength is null");
        requireNonNull(maxLength, "maxLength is null");
        requireNonNull(pattern, "pattern is null");
        requireNonNull(minItems, "minItems is null");
        requireNonNull(maxItems, "maxItems is null");
        requireNonNull(items, "items is null");
        // Property order is the column order of the silver table: keep the file's order.
        properties = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(properties, "properties is null")));
        required = Collections.unmodifiableSet(new LinkedHashSet<>(requireNonNull(required, "required is null")));
    }

    public boolean isRequired(String property)
    {
        return required.contains(property);
    }

    public boolean isDateTime()
    {
        return type == JsonType.STRING && format.filter(FORMAT_DATE_TIME::equals).isPresent();
    }

    public boolean isDate()
    {
        return type == JsonType.STRING && format.filter(FORMAT_DATE::equals).isPresent();
    }

    /** A human-readable type: {@code integer}, {@code string (date-time)}, {@code array<string>}, {@code object}. */
    public String typeName()
    {
        if (type == JsonType.ARRAY) {
            return "array<" + items.map(SchemaNode::typeName).orElse("any") + ">";
        }
        return type.jsonName() + format.map(value -> " (" + value + ")").orElse("");
    }
}
