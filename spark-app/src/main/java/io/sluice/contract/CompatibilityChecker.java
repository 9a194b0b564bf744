package io.sluice.contract;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Compares each contract version with its predecessor. Breaking: a removed field, a retyped field (including a
 * changed format or silver column type), a new required field, an optional field made required, a narrowed enum,
 * tightened bounds, a changed pattern, additional properties disallowed. Compatible: the reverse of each.
 */
public final class CompatibilityChecker
{
    private CompatibilityChecker() {}

    /** Findings for every version of every dataset against the version before it. */
    public static List<CompatibilityFinding> check(ContractRegistry registry)
    {
        List<CompatibilityFinding> findings = new ArrayList<>();
        for (String dataset : registry.datasets()) {
            List<Contract> versions = registry.versions(dataset);
            for (int i = 1; i < versions.size(); i++) {
                findings.addAll(compare(versions.get(i - 1), versions.get(i)));
            }
        }
        return List.copyOf(findings);
    }

    public static List<CompatibilityFinding> compare(Contract previous, Contract next)
    {
        Comparison comparison = new Comparison(next);
        if (!previous.table().equals(next.table())) {
            comparison.add("table", CompatibilityRule.TABLE_CHANGED, "table changed from %s to %s".formatted(previous.table(), next.table()));
        }
        comparison.object(previous.schema(), next.schema(), "data");
        return List.copyOf(comparison.findings);
    }

    private static final class Comparison
    {
        private final Contract next;
        private final List<CompatibilityFinding> findings = new ArrayList<>();

        Comparison(Contract next)
        {
            this.next = next;
        }

        void add(String path, CompatibilityRule rule, String message)
        {
            findings.add(new CompatibilityFinding(next.dataset(), next.version(), path, rule, message));
        }

        void object(SchemaNode before, SchemaNode after, String path)
        {
            for (Map.Entry<String, SchemaNode> property : before.properties().entrySet()) {
                String name = property.getKey();
                String childPath = path + "." + name;
                SchemaNode now = after.properties().get(name);
                if (now == null) {
                    add(childPath, CompatibilityRule.FIELD_REMOVED, "field removed");
                    continue;
                }
                if (!before.isRequired(name) && after.isRequired(name)) {
                    add(childPath, CompatibilityRule.FIELD_MADE_REQUIRED, "optional field is now required");
                }
                if (before.isRequired(name) && !after.isRequired(name)) {
                    add(childPath, CompatibilityRule.FIELD_MADE_OPTIONAL, "required field is now optional");
                }
                node(property.getValue(), now, childPath);
            }
            for (String name : after.properties().keySet()) {
                if (!before.properties().containsKey(name)) {
                    boolean required = after.isRequired(name);
                    add(path + "." + name, required ? CompatibilityRule.REQUIRED_FIELD_ADDED : CompatibilityRule.OPTIONAL_FIELD_ADDED,
                            (required ? "new required field" : "new optional field") + " of type " + after.properties().get(name).typeName());
                }
            }
            if (before.additionalProperties() && !after.additionalProperties()) {
                add(path, CompatibilityRule.ADDITIONAL_PROPERTIES_DISALLOWED, "additional properties are no longer allowed");
            }
            if (!before.additionalProperties() && after.additionalProperties()) {
                add(path, CompatibilityRule.ADDITIONAL_PROPERTIES_ALLOWED, "additional properties are now allowed");
            }
        }

        void node(SchemaNode before, SchemaNode after, String path)
        {
            if (!before.typeName().equals(after.typeName())) {
                add(path, CompatibilityRule.FIELD_RETYPED, "type changed from %s to %s".formatted(before.typeName(), after.typeName()));
                return;
            }
            var beforeColumn = SparkSchemaConverter.toDataType(before);
            var afterColumn = SparkSchemaConverter.toDataType(after);
            if (before.type() != JsonType.OBJECT && !beforeColumn.sameType(afterColumn)) {
                add(path, CompatibilityRule.FIELD_RETYPED, "silver column type changes from %s to %s (the bounds decide int or bigint)"
                        .formatted(beforeColumn.sql(), afterColumn.sql()));
            }
            enums(before, after, path);
            lower(before.minimum(), after.minimum(), path, "minimum");
            upper(before.maximum(), after.maximum(), path, "maximum");
            lower(count(before.minLength()), count(after.minLength()), path, "minLength");
            upper(count(before.maxLength()), count(after.maxLength()), path, "maxLength");
            lower(count(before.minItems()), count(after.minItems()), path, "minItems");
            upper(count(before.maxItems()), count(after.maxItems()), path, "maxItems");
            if (after.pattern().isPresent() && !after.pattern().equals(before.pattern())) {
                add(path, CompatibilityRule.PATTERN_CHANGED, "pattern changed from %s to %s".formatted(before.pattern().orElse("none"), after.pattern().get()));
            }
            if (before.pattern().isPresent() && after.pattern().isEmpty()) {
                add(path, CompatibilityRule.PATTERN_REMOVED, "pattern " + before.pattern().get() + " removed");
            }
            if (before.type() == JsonType.OBJECT) {
                object(before, after, path);
            }
            if (before.type() == JsonType.ARRAY) {
                node(before.items().orElseThrow(), after.items().orElseThrow(), path + "[]");
            }
        }

        private void enums(SchemaNode before, SchemaNode after, String path)
        {
            if (before.enumValues().isEmpty() && after.enumValues().isEmpty()) {
                return;
            }
            if (before.enumValues().isEmpty()) {
                add(path, CompatibilityRule.ENUM_NARROWED, "values now restricted to " + after.enumValues());
                return;
            }
            if (after.enumValues().isEmpty()) {
                add(path, CompatibilityRule.ENUM_WIDENED, "values no longer restricted to " + before.enumValues());
                return;
            }
            List<String> removed = before.enumValues().stream().filter(value -> !after.enumValues().contains(value)).toList();
            List<String> added = after.enumValues().stream().filter(value -> !before.enumValues().contains(value)).toList();
            if (!removed.isEmpty()) {
                add(path, CompatibilityRule.ENUM_NARROWED, "values removed: " + removed);
            }
            if (!added.isEmpty()) {
                add(path, CompatibilityRule.ENUM_WIDENED, "values added: " + added);
            }
        }

        /** A lower bound: raising or adding it tightens. */
        private void lower(Optional<BigDecimal> before, Optional<BigDecimal> after, String path, String keyword)
        {
            bound(before, after, path, keyword, value -> value);
        }

        /** An upper bound: lowering or adding it tightens. */
        private void upper(Optional<BigDecimal> before, Optional<BigDecimal> after, String path, String keyword)
        {
            bound(before, after, path, keyword, BigDecimal::negate);
        }

        private void bound(Optional<BigDecimal> before, Optional<BigDecimal> after, String path, String keyword, Function<BigDecimal, BigDecimal> tighterIsHigher)
        {
            String change = "%s changed from %s to %s".formatted(keyword, before.map(BigDecimal::toPlainString).orElse("none"),
                    after.map(BigDecimal::toPlainString).orElse("none"));
            if (after.isPresent() && (before.isEmpty() || tighterIsHigher.apply(after.get()).compareTo(tighterIsHigher.apply(before.get())) > 0)) {
                add(path, CompatibilityRule.BOUNDS_TIGHTENED, change);
            }
            else if (before.isPresent() && (after.isEmpty() || tighterIsHigher.apply(after.get()).compareTo(tighterIsHigher.apply(before.get())) < 0)) {
                add(path, CompatibilityRule.BOUNDS_RELAXED, change);
            }
        }

        private static Optional<BigDecimal> count(Optional<Integer> value)
        {
            return value.map(BigDecimal::valueOf);
        }
    }
}
