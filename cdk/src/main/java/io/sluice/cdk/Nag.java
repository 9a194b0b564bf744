package io.sluice.cdk;

import static java.util.Objects.requireNonNull;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import io.github.cdklabs.cdknag.RegexAppliesTo;
import java.util.List;
import software.constructs.IConstruct;

/**
 * Per-resource cdk-nag suppressions. Findings name wildcard resources by the logical ID of the resource
 * they hang off ({@code Resource::<StorageLakeF2C2D1A4.Arn>/silver/*}); the hash suffix depends on the
 * construct path, so patterns are written with {@code #} for it and matched as a regular expression.
 */
final class Nag
{

    private Nag() {}

    static void suppress(IConstruct resource, String rule, String reason, List<String> appliesTo)
    {
        requireNonNull(resource, "resource");
        requireNonNull(reason, "reason");
        NagPackSuppression.Builder suppression = NagPackSuppression.builder().id(rule).reason(reason);
        if (!appliesTo.isEmpty()) {
            suppression.appliesTo(appliesTo.stream().map(Nag::finding).toList());
        }
        // applyToChildren: an L2 role's findings land on its DefaultPolicy/Resource children.
        NagSuppressions.addResourceSuppressions(resource, List.of(suppression.build()), true);
    }

    static void suppress(IConstruct resource, String rule, String reason)
    {
        suppress(resource, rule, reason, List.of());
    }

    private static Object finding(String pattern)
    {
        if (!pattern.contains("#")) {
            return pattern;
        }
        String[] parts = pattern.split("#", -1);
        StringBuilder regex = new StringBuilder("/^");
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                regex.append("[0-9A-F]{8}");
            }
            regex.append(escape(parts[i]));
        }
        regex.append("$/");
        return RegexAppliesTo.builder().regex(regex.toString()).build();
    }

    /** JavaScript regex escaping (cdk-nag evaluates the pattern in node). */
    private static String escape(String literal)
    {
        return literal.replaceAll("[.*+?^${}()|\\[\\]\\\\/]", "\\\\$0");
    }
}
