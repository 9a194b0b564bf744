package io.sluice.pipeline;

import java.util.Map;

/**
 * Options for Spark's JSON reader that make it as strict as JSON itself: Spark accepts single quotes, NaN and
 * leading zeros by default. PERMISSIVE mode plus a corrupt-record column means no record content can fail the job.
 */
final class StrictJson
{
    static final String WHITESPACE = " \t\r\n";

    private StrictJson() {}

    static Map<String, String> options(String corruptColumn, int maxNestingDepth)
    {
        return Map.of(
                "mode", "PERMISSIVE",
                "columnNameOfCorruptRecord", corruptColumn,
                "allowSingleQuotes", "false",
                "allowNonNumericNumbers", "false",
                "allowNumericLeadingZeros", "false",
                "allowUnquotedFieldNames", "false",
                "allowComments", "false",
                "allowBackslashEscapingAnyCharacter", "false",
                "allowUnquotedControlChars", "false",
                "maxNestingDepth", Integer.toString(maxNestingDepth));
    }
}
