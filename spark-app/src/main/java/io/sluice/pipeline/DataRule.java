package io.sluice.pipeline;

import io.sluice.contract.JsonType;
import io.sluice.contract.SchemaNode;
import io.sluice.contract.SparkSchemaConverter;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.util.GenericArrayData;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.unsafe.types.UTF8String;

import java.io.IOException;
import java.io.Serial;
import java.io.Serializable;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * One node of a contract's data schema, compiled for {@link RecordReader}: reads its value from the parser, checks it
 * while reading, and returns it already typed as its silver column (Spark's internal values: {@link UTF8String},
 * microseconds for a timestamp, days for a date). Each violation is added to the {@link Reading} with the field's
 * path; the value returned for a violating record is never written.
 */
final class DataRule
        implements Serializable
{
    @Serial
    private static final long serialVersionUID = 1L;

    private final JsonType type;
    private final String path;
    private final String typeName;
    // object
    private final Map<String, Integer> slots;
    private final DataRule[] properties;
    private final boolean[] required;
    private final boolean additionalProperties;
    // array
    private final DataRule items;
    private final int minItems;
    private final int maxItems;
    // string
    private final Set<String> enumValues;
    private final String enumText;
    private final int minLength;
    private final int maxLength;
    private final Pattern pattern;
    private final boolean dateTime;
    private final boolean date;
    // integer and number
    private final BigDecimal minimum;
    private final BigDecimal maximum;
    /** The bounds as longs where they are whole numbers within 64 bits: compared without allocating. */
    private final Long minimumLong;
    private final Long maximumLong;
    private final boolean intColumn;

    private DataRule(SchemaNode node, String path)
    {
        this.type = node.type();
        this.path = path;
        this.typeName = node.typeName();
        this.slots = new HashMap<>();
        List<DataRule> children = new ArrayList<>();
        List<String> names = new ArrayList<>(node.properties().keySet());
        this.required = new boolean[names.size()];
        for (int slot = 0; slot < names.size(); slot++) {
            String name = names.get(slot);
            slots.put(name, slot);
            children.add(new DataRule(node.properties().get(name), path + "." + name));
            required[slot] = node.isRequired(name);
        }
        this.properties = children.toArray(DataRule[]::new);
        this.additionalProperties = node.additionalProperties();
        this.items = node.items().map(item -> new DataRule(item, path)).orElse(null);
        this.minItems = node.minItems().orElse(-1);
        this.maxItems = node.maxItems().orElse(-1);
        this.enumValues = Set.copyOf(node.enumValues());
        this.enumText = node.enumValues().toString();
        this.minLength = node.minLength().orElse(-1);
        this.maxLength = node.maxLength().orElse(-1);
        this.pattern = node.pattern().map(Pattern::compile).orElse(null);
        this.dateTime = node.isDateTime();
        this.date = node.isDate();
        this.minimum = node.minimum().orElse(null);
        this.maximum = node.maximum().orElse(null);
        this.minimumLong = exactLong(minimum);
        this.maximumLong = exactLong(maximum);
        this.intColumn = SparkSchemaConverter.toDataType(node).sameType(DataTypes.IntegerType);
    }

    /** The rule of a contract's {@code data}: an object. */
    static DataRule root(SchemaNode schema)
    {
        requireNonNull(schema, "schema is null");
        if (schema.type() != JsonType.OBJECT) {
            throw new IllegalArgumentException("Invalid data schema: expected an object, got " + schema.typeName());
        }
        return new DataRule(schema, EnvelopeColumns.DATA);
    }

    /**
     * Reads the value whose first token is the parser's current token, up to its last token.
     *
     * @param at the value's path in messages: this rule's path, or an array element's
     * @param depth the nesting depth of the value if it is an object or array
     */
    Object read(JsonParser parser, Reading reading, String at, int depth)
            throws IOException
    {
        JsonToken token = parser.currentToken();
        switch (type) {
            case OBJECT -> {
                if (token == JsonToken.START_OBJECT) {
                    return object(parser, reading, depth);
                }
            }
            case ARRAY -> {
                if (token == JsonToken.START_ARRAY) {
                    return array(parser, reading, at, depth);
                }
            }
            case STRING -> {
                if (token == JsonToken.VALUE_STRING) {
                    return string(parser.getText(), reading, at);
                }
            }
            case INTEGER -> {
                // Beyond 64 bits is a wrong type: no silver column holds it, and readers disagree on its value.
                if (token == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
                    return integer(parser.getLongValue(), reading, at);
                }
            }
            case NUMBER -> {
                if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
                    return number(parser.getDoubleValue(), reading, at);
                }
            }
            case BOOLEAN -> {
                if (token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE) {
                    return token == JsonToken.VALUE_TRUE;
                }
            }
        }
        // JSON null, or a value of another JSON type: never converted, whatever another reader would make of it.
        reading.add(at, QuarantineReason.WRONG_TYPE, "Invalid " + at + ": expected " + typeName);
        RecordReader.skip(parser, reading, depth);
        return null;
    }

    private Object object(JsonParser parser, Reading reading, int depth)
            throws IOException
    {
        reading.opened(depth);
        Object[] values = new Object[properties.length];
        boolean[] present = new boolean[properties.length];
        Reading.MemberNames names = new Reading.MemberNames();
        JsonToken token;
        while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            reading.member(names, name);
            parser.nextToken();
            Integer slot = slots.get(name);
            if (slot == null) {
                if (!additionalProperties) {
                    String shortened = Reading.shortened(name);
                    reading.add(path + "." + shortened, QuarantineReason.ADDITIONAL_PROPERTY, "Invalid " + path + ": unknown property '" + shortened + "'");
                }
                RecordReader.skip(parser, reading, depth + 1);
                continue;
            }
            present[slot] = true;
            values[slot] = properties[slot].read(parser, reading, properties[slot].path, depth + 1);
        }
        if (token != JsonToken.END_OBJECT) {
            throw new JsonParseException(parser, "Unexpected end of an object: " + token);
        }
        for (int slot = 0; slot < properties.length; slot++) {
            if (required[slot] && !present[slot]) {
                reading.add(properties[slot].path, QuarantineReason.MISSING_REQUIRED_FIELD, "Missing required field: " + properties[slot].path);
            }
        }
        return new GenericInternalRow(values);
    }

    private Object array(JsonParser parser, Reading reading, String at, int depth)
            throws IOException
    {
        reading.opened(depth);
        List<Object> elements = new ArrayList<>();
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            if (token == null) {
                throw new JsonParseException(parser, "Unexpected end of an array");
            }
            elements.add(items.read(parser, reading, at + "[" + elements.size() + "]", depth + 1));
        }
        int size = elements.size();
        if (minItems >= 0 && size < minItems) {
            reading.add(at, QuarantineReason.MIN_ITEMS, "Invalid " + at + ": " + size + " items, fewer than minItems " + minItems);
        }
        if (maxItems >= 0 && size > maxItems) {
            reading.add(at, QuarantineReason.MAX_ITEMS, "Invalid " + at + ": " + size + " items, more than maxItems " + maxItems);
        }
        return new GenericArrayData(elements.toArray());
    }

    private Object string(String text, Reading reading, String at)
    {
        reading.string(text);
        if (!enumValues.isEmpty() && !enumValues.contains(text)) {
            reading.add(at, QuarantineReason.ENUM, "Invalid " + at + ": " + Reading.quoted(text) + " is not one of " + enumText);
        }
        if (minLength >= 0 || maxLength >= 0) {
            int length = text.codePointCount(0, text.length());
            if (minLength >= 0 && length < minLength) {
                reading.add(at, QuarantineReason.MIN_LENGTH, "Invalid " + at + ": length " + length + " is below minLength " + minLength);
            }
            if (maxLength >= 0 && length > maxLength) {
                reading.add(at, QuarantineReason.MAX_LENGTH, "Invalid " + at + ": length " + length + " is above maxLength " + maxLength);
            }
        }
        if (pattern != null && !pattern.matcher(text).find()) {
            reading.add(at, QuarantineReason.PATTERN, "Invalid " + at + ": " + Reading.quoted(text) + " does not match " + pattern.pattern());
        }
        if (dateTime) {
            Long micros = Rfc3339.timestampMicros(text);
            if (micros == null) {
                reading.add(at, QuarantineReason.FORMAT, "Invalid " + at + ": " + Reading.quoted(text) + " is not an RFC 3339 date-time");
            }
            return micros;
        }
        if (date) {
            Integer days = Rfc3339.dateDays(text);
            if (days == null) {
                reading.add(at, QuarantineReason.FORMAT, "Invalid " + at + ": " + Reading.quoted(text) + " is not an RFC 3339 full-date");
            }
            return days;
        }
        return UTF8String.fromString(text);
    }

    private Object integer(long value, Reading reading, String at)
    {
        if (minimum != null && (minimumLong != null ? value < minimumLong : minimum.compareTo(BigDecimal.valueOf(value)) > 0)) {
            reading.add(at, QuarantineReason.MINIMUM, "Invalid " + at + ": " + value + " is below minimum " + minimum.toPlainString());
        }
        if (maximum != null && (maximumLong != null ? value > maximumLong : maximum.compareTo(BigDecimal.valueOf(value)) < 0)) {
            reading.add(at, QuarantineReason.MAXIMUM, "Invalid " + at + ": " + value + " is above maximum " + maximum.toPlainString());
        }
        if (intColumn) {
            // The bounds that made the column an int hold the value in 32 bits, or the record is quarantined above.
            return (int) value;
        }
        return value;
    }

    private Object number(double value, Reading reading, String at)
    {
        if (minimum != null && value < minimum.doubleValue()) {
            reading.add(at, QuarantineReason.MINIMUM, "Invalid " + at + ": " + value + " is below minimum " + minimum.toPlainString());
        }
        if (maximum != null && value > maximum.doubleValue()) {
            reading.add(at, QuarantineReason.MAXIMUM, "Invalid " + at + ": " + value + " is above maximum " + maximum.toPlainString());
        }
        return value;
    }

    private static Long exactLong(BigDecimal bound)
    {
        if (bound == null) {
            return null;
        }
        try {
            return bound.longValueExact();
        }
        catch (ArithmeticException e) {
            return null;
        }
    }
}
