package io.sluice.pipeline;

import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.unsafe.types.UTF8String;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What one pass over one payload has found so far: the reasons against its data and the payload-wide findings that
 * overrule them (a name repeated in an object, an unpaired surrogate escape, nesting beyond the limit). One per record,
 * never shared between threads.
 */
final class Reading
{
    /** Values quoted in a message are cut to this many characters, so one bad record cannot bloat quarantine. */
    private static final int MAX_QUOTED_CHARS = 80;

    private final boolean escapes;
    private final int maxNestingDepth;
    private final List<InternalRow> reasons = new ArrayList<>();
    private boolean duplicateMember;
    private boolean unpairedSurrogate;
    private boolean tooDeep;

    /**
     * @param escapes whether the payload holds a backslash-u escape: only then can a decoded string hold a surrogate
     *         that is not half of a pair (raw surrogate bytes are not UTF-8, rejected before parsing)
     */
    Reading(boolean escapes, int maxNestingDepth)
    {
        this.escapes = escapes;
        this.maxNestingDepth = maxNestingDepth;
    }

    void add(String path, QuarantineReason rule, String message)
    {
        reasons.add(reason(path, rule, message));
    }

    List<InternalRow> reasons()
    {
        return reasons;
    }

    /** A member name read in the object whose names {@code names} holds. */
    void member(MemberNames names, String name)
    {
        if (!names.add(name)) {
            duplicateMember = true;
        }
        string(name);
    }

    /** A decoded string, name or value. */
    void string(String text)
    {
        if (escapes && !unpairedSurrogate && hasUnpairedSurrogate(text)) {
            unpairedSurrogate = true;
        }
    }

    /** An object or array opened at {@code depth} (the payload's own object is at depth 1). */
    void opened(int depth)
    {
        if (depth > maxNestingDepth) {
            tooDeep = true;
        }
    }

    boolean duplicateMember()
    {
        return duplicateMember;
    }

    boolean unpairedSurrogate()
    {
        return unpairedSurrogate;
    }

    boolean tooDeep()
    {
        return tooDeep;
    }

    static InternalRow reason(String path, QuarantineReason rule, String message)
    {
        return new GenericInternalRow(new Object[] {UTF8String.fromString(path), UTF8String.fromString(rule.name()), UTF8String.fromString(message)});
    }

    /** "'value'", the value cut to {@value #MAX_QUOTED_CHARS} characters; "null" for none. */
    static String quoted(String value)
    {
        return value == null ? "null" : "'" + shortened(value) + "'";
    }

    static String shortened(String value)
    {
        if (value.codePointCount(0, value.length()) <= MAX_QUOTED_CHARS) {
            return value;
        }
        return value.substring(0, value.offsetByCodePoints(0, MAX_QUOTED_CHARS)) + "...";
    }

    private static boolean hasUnpairedSurrogate(String text)
    {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            }
            else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    /** The names of one object, to find one named twice; a set only once the object has many. */
    static final class MemberNames
    {
        private static final int LINEAR = 16;

        private final List<String> few = new ArrayList<>(LINEAR);
        private Set<String> many;

        /** False when the object already has this name. */
        boolean add(String name)
        {
            if (many != null) {
                return many.add(name);
            }
            for (String seen : few) {
                if (seen.equals(name)) {
                    return false;
                }
            }
            few.add(name);
            if (few.size() == LINEAR) {
                many = new HashSet<>(few);
            }
            return true;
        }
    }
}
