package io.sluice.pipeline;

import io.sluice.contract.JsonType;
import io.sluice.contract.SchemaNode;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.sluice.contract.SparkSchemaConverter.toDataType;
import static io.sluice.pipeline.EnvelopeColumns.CORRUPT;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_contains;
import static org.apache.spark.sql.functions.array_except;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.exists;
import static org.apache.spark.sql.functions.flatten;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.json_object_keys;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.transform;
import static org.apache.spark.sql.functions.when;

/**
 * Compiles one contract's schema into vectorized column expressions: how to parse its {@code data} text, the
 * quarantine reasons of a record, and its typed values. No UDFs: everything is Catalyst expressions.
 *
 * <p>Each object level is read twice by Jackson: {@code from_json} types its fields (a value of the wrong type
 * sets the corrupt-record column and leaves that field null) and {@code json_object_keys} lists the keys present,
 * which tells "absent" from "present but wrong type" and finds additional properties. Nested objects are
 * parsed as JSON text by their parent and typed by their own level.
 */
final class ContractValidator
{
    static final String DATE_REGEX = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$";

    private final String stagePrefix;
    private final int maxNestingDepth;
    /** Columns to materialize, by object depth: a level's parse reads the JSON text its parent level produced. */
    private final List<Map<String, Column>> stages = new ArrayList<>();
    /** Key-list columns and the JSON text of their object; their expressions are only known once all levels are parsed. */
    private final Map<String, Column> keyTexts = new LinkedHashMap<>();
    /** How many typed values are non-null, over all object levels. */
    private final List<Column> nonNullValues = new ArrayList<>();

    /**
     * @param stages columns to add before the other expressions can be evaluated, one projection per depth
     * @param violation true when the record breaks the contract (cheap: generated code only)
     * @param reasons array of reason structs, possibly with nulls; only meaningful where {@code violation} holds
     * @param fields the typed value of each top-level property, in schema order
     * @param nonNullValues how many declared properties, over all object levels, have a non-null typed value: each is
     *         a distinct member name of the payload
     */
    record Compiled(List<Map<String, Column>> stages, Column violation, Column reasons, Map<String, Column> fields, Column nonNullValues) {}

    private record Level(List<Reasons.Check> checks, List<Reasons.ArrayCheck> arrays, Map<String, Column> fields) {}

    private ContractValidator(String stagePrefix, int maxNestingDepth)
    {
        this.stagePrefix = stagePrefix;
        this.maxNestingDepth = maxNestingDepth;
    }

    /**
     * @param dataText the JSON text of {@code data}; null for records this contract does not apply to: what is parsed
     * @param checkedDataText the JSON text of {@code data} for every record: what the checks test, since they are only
     *         read for records this contract applies to. Testing {@code dataText} instead would give the optimizer a
     *         CASE to push each test into, one more pass of its rule batch over the whole routing every micro-batch.
     * @param dataNameMarkers at least as many as the member names of {@code data} at every depth, and exactly as many
     *         when the count is exact; null when it cannot be counted (see {@link ContractEnforcer})
     */
    static Compiled compile(SchemaNode root, Column dataText, Column checkedDataText, Column dataNameMarkers, String stagePrefix, int maxNestingDepth)
    {
        ContractValidator validator = new ContractValidator(stagePrefix, maxNestingDepth);
        Level level = validator.object(root, dataText, checkedDataText, "data", 0);
        validator.stageKeyLists(dataNameMarkers);
        return new Compiled(validator.stages.stream().map(Map::copyOf).toList(), Reasons.anyViolation(level.checks(), level.arrays()),
                Reasons.all(level.checks(), level.arrays()), Collections.unmodifiableMap(level.fields()), Reasons.sum(validator.nonNullValues));
    }

    private Level object(SchemaNode node, Column text, Column checkedText, String path, int depth)
    {
        Column parsed = stage(depth, from_json(text, parseSchema(node), StrictJson.options(CORRUPT, maxNestingDepth)));
        Column keys = keyList(text);
        // The text is JSON that Spark wrote itself (compact): an object starts with '{'.
        Column isObject = checkedText.startsWith("{");
        List<Reasons.Check> checks = new ArrayList<>();
        List<Reasons.ArrayCheck> arrays = new ArrayList<>();
        Map<String, Column> fields = new LinkedHashMap<>();
        checks.add(Reasons.check(checkedText.isNotNull().and(not(isObject)), path, QuarantineReason.WRONG_TYPE, "Invalid " + path + ": expected an object"));

        // Built as an AND of negations, never as the negation of an OR: the optimizer's BooleanSimplification would
        // push that NOT down one level per pass (De Morgan), and its fixed-point loop would run the whole rule batch
        // over the ~10,000-node routing tree once per level, every micro-batch (about 13 passes instead of 3).
        Column noWrongType = lit(true);
        List<Column> parsedCounts = new ArrayList<>();
        for (Map.Entry<String, SchemaNode> property : node.properties().entrySet()) {
            String name = property.getKey();
            SchemaNode child = property.getValue();
            String childPath = path + "." + name;
            Column value = parsed.getField(name);
            // Without a key list (see stageKeyLists) every key has a non-null value: present means non-null.
            Column present = coalesce(array_contains(keys, name), value.isNotNull());
            if (node.isRequired(name)) {
                checks.add(Reasons.check(isObject.and(value.isNull()).and(not(present)), childPath, QuarantineReason.MISSING_REQUIRED_FIELD, "Missing required field: " + childPath));
            }
            // Present but null after typing: JSON null, or a value Spark could not convert (e.g. a string for a number).
            // Never null: present is not.
            Column wrongType = value.isNull().and(present);
            // Its negation in the form the optimizer would rewrite it to, so that there is nothing left to rewrite.
            noWrongType = noWrongType.and(value.isNotNull().or(not(present)));
            parsedCounts.add(when(value.isNotNull(), 1).otherwise(0));
            checks.add(Reasons.check(wrongType, childPath, QuarantineReason.WRONG_TYPE, "Invalid " + childPath + ": expected " + child.typeName()));

            switch (child.type()) {
                case OBJECT -> {
                    Level nested = object(child, value, value, childPath, depth + 1);
                    checks.addAll(nested.checks());
                    arrays.addAll(nested.arrays());
                    Column[] nestedFields = nested.fields().entrySet().stream()
                            .map(field -> field.getValue().as(field.getKey()))
                            .toArray(Column[]::new);
                    fields.put(name, when(value.isNotNull(), struct(nestedFields)));
                }
                case ARRAY -> {
                    Column pathColumn = lit(childPath);
                    child.minItems().ifPresent(min -> checks.add(Reasons.check(size(value).lt(min), pathColumn, QuarantineReason.MIN_ITEMS,
                            Reasons.invalid(pathColumn, "", size(value), " items, fewer than minItems " + min))));
                    child.maxItems().ifPresent(max -> checks.add(Reasons.check(size(value).gt(max), pathColumn, QuarantineReason.MAX_ITEMS,
                            Reasons.invalid(pathColumn, "", size(value), " items, more than maxItems " + max))));
                    arrays.add(items(child.items().orElseThrow(), value, childPath));
                    fields.put(name, typed(child, value));
                }
                default -> {
                    checks.addAll(scalarChecks(child, value, lit(childPath)));
                    fields.put(name, typed(child, value));
                }
            }
        }
        if (!node.additionalProperties()) {
            // More keys than typed values means an unknown key (or a wrong type, reported above): only then list them.
            Column declared = array(node.properties().keySet().stream().map(org.apache.spark.sql.functions::lit).toArray(Column[]::new));
            Column reasons = transform(array_except(keys, declared), key -> Reasons.reason(concat(lit(path + "."), key), QuarantineReason.ADDITIONAL_PROPERTY,
                    concat(lit("Invalid " + path + ": unknown property '"), key, lit("'"))));
            arrays.add(new Reasons.ArrayCheck(size(keys).gt(Reasons.sum(parsedCounts)), reasons));
        }
        // Safety net: the parser flagged a conversion failure in an object that no field-level check explains.
        nonNullValues.addAll(parsedCounts);
        checks.add(Reasons.check(parsed.getField(CORRUPT).isNotNull().and(isObject).and(noWrongType), path, QuarantineReason.WRONG_TYPE,
                "Invalid " + path + ": a value does not have its declared type"));
        return new Level(checks, arrays, fields);
    }

    /** Element checks of an array of scalars, reported with the element's index. */
    private static Reasons.ArrayCheck items(SchemaNode items, Column array, String path)
    {
        Column reasons = flatten(transform(array, (element, index) -> {
            Column elementPath = concat(lit(path + "["), index.cast(DataTypes.StringType), lit("]"));
            List<Reasons.Check> checks = new ArrayList<>();
            checks.add(Reasons.check(element.isNull(), elementPath, QuarantineReason.WRONG_TYPE,
                    Reasons.invalid(elementPath, "expected " + items.typeName(), lit(""), "")));
            checks.addAll(scalarChecks(items, element, elementPath));
            return array(checks.stream().map(check -> when(check.condition(), check.reason())).toArray(Column[]::new));
        }));
        Column violation;
        boolean enumOnly = !items.enumValues().isEmpty() && items.minLength().isEmpty() && items.maxLength().isEmpty() && items.pattern().isEmpty();
        if (enumOnly) {
            // Enum-only items (the common case) are checked without a lambda: a null or unknown element survives array_except.
            violation = size(array_except(array, array(items.enumValues().stream().map(org.apache.spark.sql.functions::lit).toArray(Column[]::new)))).gt(0);
        }
        else {
            violation = exists(array, element -> Reasons.anyViolation(scalarChecks(items, element, lit(path)), List.of()).or(element.isNull()));
        }
        return new Reasons.ArrayCheck(violation, reasons);
    }

    /** Checks of a non-object value; each is a nullable reason, null when the value is null (checked elsewhere). */
    private static List<Reasons.Check> scalarChecks(SchemaNode node, Column value, Column path)
    {
        List<Reasons.Check> checks = new ArrayList<>();
        if (node.type() == JsonType.STRING) {
            if (!node.enumValues().isEmpty()) {
                checks.add(Reasons.check(not(value.isin(node.enumValues().toArray())), path, QuarantineReason.ENUM,
                        Reasons.invalid(path, "'", value, "' is not one of " + node.enumValues())));
            }
            node.minLength().ifPresent(min -> checks.add(Reasons.check(length(value).lt(min), path, QuarantineReason.MIN_LENGTH,
                    Reasons.invalid(path, "length ", length(value), " is below minLength " + min))));
            node.maxLength().ifPresent(max -> checks.add(Reasons.check(length(value).gt(max), path, QuarantineReason.MAX_LENGTH,
                    Reasons.invalid(path, "length ", length(value), " is above maxLength " + max))));
            node.pattern().ifPresent(pattern -> checks.add(Reasons.check(not(value.rlike(pattern)), path, QuarantineReason.PATTERN,
                    Reasons.invalid(path, "'", value, "' does not match " + pattern))));
            if (node.isDateTime()) {
                Column invalid = value.isNotNull().and(not(value.rlike(EnvelopeParser.DATE_TIME_REGEX)).or(value.try_cast(DataTypes.TimestampType).isNull()));
                checks.add(Reasons.check(invalid, path, QuarantineReason.FORMAT, Reasons.invalid(path, "'", value, "' is not an RFC 3339 date-time")));
            }
            if (node.isDate()) {
                Column invalid = value.isNotNull().and(not(value.rlike(DATE_REGEX)).or(value.try_cast(DataTypes.DateType).isNull()));
                checks.add(Reasons.check(invalid, path, QuarantineReason.FORMAT, Reasons.invalid(path, "'", value, "' is not an RFC 3339 full-date")));
            }
        }
        if (node.type() == JsonType.INTEGER || node.type() == JsonType.NUMBER) {
            node.minimum().ifPresent(min -> checks.add(Reasons.check(value.lt(bound(node, min)), path, QuarantineReason.MINIMUM,
                    Reasons.invalid(path, "", value, " is below minimum " + min.toPlainString()))));
            node.maximum().ifPresent(max -> checks.add(Reasons.check(value.gt(bound(node, max)), path, QuarantineReason.MAXIMUM,
                    Reasons.invalid(path, "", value, " is above maximum " + max.toPlainString()))));
        }
        return checks;
    }

    private static Column bound(SchemaNode node, BigDecimal bound)
    {
        // Compare in the parsed type: a long with a long, a double with a double, so no decimal arithmetic is planned.
        if (node.type() == JsonType.INTEGER && bound.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) <= 0 && bound.compareTo(BigDecimal.valueOf(Long.MIN_VALUE)) >= 0) {
            return lit(bound.longValueExact());
        }
        return lit(bound.doubleValue());
    }

    /** The silver value of a parsed non-object value; try_cast because rows failing validation are typed too. */
    private static Column typed(SchemaNode node, Column value)
    {
        DataType target = toDataType(node);
        DataType parsedType = parseType(node);
        return target.sameType(parsedType) ? value : value.try_cast(target);
    }

    /** The type {@code from_json} reads a value as, before validation. */
    private static DataType parseType(SchemaNode node)
    {
        return switch (node.type()) {
            // Objects are read as their JSON text and typed by their own level.
            case OBJECT, STRING -> DataTypes.StringType;
            case ARRAY -> DataTypes.createArrayType(parseType(node.items().orElseThrow()), true);
            case INTEGER -> DataTypes.LongType;
            case NUMBER -> DataTypes.DoubleType;
            case BOOLEAN -> DataTypes.BooleanType;
        };
    }

    private static StructType parseSchema(SchemaNode object)
    {
        StructType schema = new StructType();
        for (Map.Entry<String, SchemaNode> property : object.properties().entrySet()) {
            schema = schema.add(property.getKey(), parseType(property.getValue()));
        }
        return schema.add(CORRUPT, DataTypes.StringType);
    }

    private Column keyList(Column text)
    {
        String name = stagePrefix + "_keys_" + keyTexts.size();
        keyTexts.put(name, text);
        return col(name);
    }

    /**
     * Lists the keys of every object level only for records that may need it. Each non-null typed value is a distinct
     * member name of {@code data}, so when {@code dataNameMarkers} (never fewer than the names) equals their number,
     * every key is a declared property with a value of the right type: no unknown key, no null, no wrong type, and
     * nothing to look up. The count is the one the duplicate-member check makes of the whole payload anyway.
     */
    private void stageKeyLists(Column dataNameMarkers)
    {
        Column mayNeedKeys = not(coalesce(dataNameMarkers.equalTo(Reasons.sum(nonNullValues)), lit(false)));
        Map<String, Column> layer = new LinkedHashMap<>();
        keyTexts.forEach((name, text) -> layer.put(name, when(mayNeedKeys, json_object_keys(text))));
        stages.add(layer);
    }

    private Column stage(int depth, Column expression)
    {
        while (stages.size() <= depth) {
            stages.add(new LinkedHashMap<>());
        }
        String name = stagePrefix + "_" + depth + "_" + stages.get(depth).size();
        stages.get(depth).put(name, expression);
        return col(name);
    }
}
