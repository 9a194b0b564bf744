package io.sluice.contract;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/** Renders the contracts as one Markdown catalog: per contract its table, event types, fields, rules and examples. */
public final class ContractCatalogWriter
{
    public static final Path DEFAULT_OUTPUT = Path.of("docs", "contracts-catalog.md");

    private final ObjectMapper mapper = new ObjectMapper();

    public void write(ContractRegistry registry, Path output)
    {
        try {
            Path parent = output.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(output, render(registry), StandardCharsets.UTF_8);
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot write catalog " + output, e);
        }
    }

    public String render(ContractRegistry registry)
    {
        requireNonNull(registry, "registry is null");
        StringBuilder out = new StringBuilder();
        out.append("# Data contracts catalog\n\n");
        out.append("Generated from `contracts/` by `sluice contracts docs`: do not edit by hand. ");
        out.append("The contract format and the enforcement rules are described in [contracts.md](contracts.md).\n\n");
        out.append("| Dataset | Version | Silver table | Event types | Owner |\n|---|---|---|---|---|\n");
        for (Contract contract : registry.contracts()) {
            out.append("| [%s](#%s) | %d | `%s` | %s | %s |\n".formatted(contract.dataset(), anchor(contract), contract.version(), contract.table(),
                    String.join(", ", contract.eventTypes().stream().map(type -> "`" + type + "`").toList()), contract.owner()));
        }
        for (Contract contract : registry.contracts()) {
            section(out, registry, contract);
        }
        return out.toString();
    }

    private void section(StringBuilder out, ContractRegistry registry, Contract contract)
    {
        out.append("\n## %s v%d\n\n".formatted(contract.dataset(), contract.version()));
        out.append(contract.description()).append("\n\n");
        out.append("- dataschema: `%s`\n".formatted(contract.dataschema()));
        out.append("- silver table: `%s`\n".formatted(contract.table()));
        out.append("- event types: %s\n".formatted(String.join(", ", contract.eventTypes().stream().map(type -> "`" + type + "`").toList())));
        out.append("- owner: %s\n".formatted(contract.owner()));
        out.append("- source file: `contracts/%s`\n".formatted(contract.origin()));
        out.append("- additional properties: %s\n\n".formatted(contract.schema().additionalProperties() ? "allowed" : "rejected"));

        out.append("| Field | Type | Silver type | Required | Rules | Description |\n|---|---|---|---|---|---|\n");
        fields(out, contract.schema(), "");

        List<Contract> versions = registry.versions(contract.dataset());
        int position = versions.indexOf(contract);
        if (position > 0) {
            out.append("\nChanges from v%d:\n\n".formatted(versions.get(position - 1).version()));
            for (CompatibilityFinding finding : CompatibilityChecker.compare(versions.get(position - 1), contract)) {
                out.append("- `%s` %s%s: %s\n".formatted(finding.path(), finding.rule(), finding.breaking() ? " (breaking)" : "", finding.message()));
            }
        }
        for (String example : contract.examples()) {
            out.append("\nExample event:\n\n```json\n").append(pretty(example)).append("\n```\n");
        }
    }

    private static void fields(StringBuilder out, SchemaNode object, String prefix)
    {
        for (Map.Entry<String, SchemaNode> property : object.properties().entrySet()) {
            SchemaNode node = property.getValue();
            String name = prefix + property.getKey();
            out.append("| `%s` | %s | %s | %s | %s | %s |\n".formatted(name, node.typeName(), SparkSchemaConverter.toDataType(node).simpleString(),
                    object.isRequired(property.getKey()) ? "yes" : "no", cell(rules(node)), cell(node.description().orElse(""))));
            if (node.type() == JsonType.OBJECT) {
                fields(out, node, name + ".");
            }
        }
    }

    private static String rules(SchemaNode node)
    {
        List<String> rules = new ArrayList<>();
        if (!node.enumValues().isEmpty()) {
            rules.add("one of " + String.join(", ", node.enumValues().stream().map(value -> "`" + value + "`").toList()));
        }
        node.minimum().ifPresent(value -> rules.add("≥ " + plain(value)));
        node.maximum().ifPresent(value -> rules.add("≤ " + plain(value)));
        node.minLength().ifPresent(value -> rules.add("length ≥ " + value));
        node.maxLength().ifPresent(value -> rules.add("length ≤ " + value));
        node.pattern().ifPresent(value -> rules.add("matches `" + value + "`"));
        node.format().ifPresent(value -> rules.add("RFC 3339 " + (value.equals(SchemaNode.FORMAT_DATE) ? "full-date" : value)));
        node.minItems().ifPresent(value -> rules.add("at least " + value + " items"));
        node.maxItems().ifPresent(value -> rules.add("at most " + value + " items"));
        node.items().ifPresent(items -> {
            String itemRules = rules(items);
            if (!itemRules.isEmpty()) {
                rules.add("each item: " + itemRules);
            }
        });
        if (node.type() == JsonType.OBJECT && !node.additionalProperties()) {
            rules.add("no additional properties");
        }
        return String.join("; ", rules);
    }

    private static String plain(BigDecimal value)
    {
        return value.stripTrailingZeros().toPlainString();
    }

    private static String cell(String text)
    {
        return text.replace("|", "\\|").replace("\n", " ");
    }

    private String pretty(String json)
    {
        try {
            return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(mapper.readTree(json)).replace("\r\n", "\n");
        }
        catch (JsonProcessingException e) {
            throw new IllegalStateException("Invalid example: " + json, e);
        }
    }

    private static String anchor(Contract contract)
    {
        // GitHub's heading anchors: lower case, punctuation dropped, spaces to dashes.
        return (contract.dataset() + " v" + contract.version()).toLowerCase(java.util.Locale.ROOT).replace(".", "").replace(' ', '-');
    }
}
