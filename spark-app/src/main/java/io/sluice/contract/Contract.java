package io.sluice.contract;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * One version of a dataset's data contract, as read from {@code contracts/<dataset>/v<version>.json}.
 *
 * @param origin the file it was read from, relative to the contracts root (for messages)
 * @param examples complete example CloudEvents, as compact JSON text
 */
public record Contract(
        String dataset,
        int version,
        String table,
        List<String> eventTypes,
        String owner,
        String description,
        SchemaNode schema,
        List<String> examples,
        String origin)
{
    public static final String DATASCHEMA_PREFIX = "urn:sluice:contract:";
    public static final String DATASET_REGEX = "[a-z][a-z0-9_]*(?:\\.[a-z][a-z0-9_]*)*";
    /** What a {@code dataschema} naming a Sluice contract looks like; group 1 is the dataset, group 2 the version. */
    public static final Pattern DATASCHEMA_PATTERN = Pattern.compile("^urn:sluice:contract:(" + DATASET_REGEX + "):([1-9][0-9]{0,8})$");

    public Contract
    {
        requireNonNull(dataset, "dataset is null");
        requireNonNull(table, "table is null");
        eventTypes = List.copyOf(requireNonNull(eventTypes, "eventTypes is null"));
        requireNonNull(owner, "owner is null");
        requireNonNull(description, "description is null");
        requireNonNull(schema, "schema is null");
        examples = List.copyOf(requireNonNull(examples, "examples is null"));
        requireNonNull(origin, "origin is null");
    }

    /** The URI events put in their {@code dataschema} attribute to name this contract. */
    public String dataschema()
    {
        return dataschema(dataset, version);
    }

    public static String dataschema(String dataset, int version)
    {
        return DATASCHEMA_PREFIX + dataset + ":" + version;
    }

    /** The dataset and version a {@code dataschema} names, if it is a Sluice contract URN at all. */
    public static Optional<DatasetVersion> parseDataschema(String dataschema)
    {
        Matcher matcher = DATASCHEMA_PATTERN.matcher(dataschema);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        return Optional.of(new DatasetVersion(matcher.group(1), Integer.parseInt(matcher.group(2))));
    }

    public record DatasetVersion(String dataset, int version)
    {
        public DatasetVersion
        {
            requireNonNull(dataset, "dataset is null");
        }
    }
}
