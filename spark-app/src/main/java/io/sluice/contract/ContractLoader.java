package io.sluice.contract;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * Reads contract files laid out as {@code <root>/<dataset>/v<version>.json}, from a directory or from the
 * classpath. Directories starting with {@code _} (the CloudEvents envelope) are not dataset contracts.
 * On the classpath there is no directory listing, so {@code contracts/index.txt} lists the files; a test keeps it
 * in sync with the directory.
 */
public final class ContractLoader
{
    public static final String CLASSPATH_ROOT = "contracts";
    public static final String INDEX_FILE = "index.txt";

    private static final Pattern FILE_NAME = Pattern.compile("^([^/]+)/v([1-9][0-9]*)\\.json$");
    private static final Pattern TABLE_NAME = Pattern.compile("^[a-z][a-z0-9_]{0,127}$");
    private static final Pattern DATASET_NAME = Pattern.compile("^" + Contract.DATASET_REGEX + "$");
    private static final Set<String> KEYS = Set.of("dataset", "version", "table", "eventTypes", "owner", "description", "schema", "examples");

    private final ObjectMapper mapper;

    public ContractLoader()
    {
        // Duplicate keys in a contract are almost always an editing mistake that would silently drop a rule.
        this.mapper = new ObjectMapper()
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    public ContractRegistry loadDirectory(Path root)
    {
        List<Contract> contracts = new ArrayList<>();
        for (String file : listDirectory(root)) {
            try {
                contracts.add(parse(file, Files.readAllBytes(root.resolve(file))));
            }
            catch (IOException e) {
                throw ContractException.unreadable(file, e);
            }
        }
        return new ContractRegistry(contracts);
    }

    public ContractRegistry loadClasspath(ClassLoader classLoader)
    {
        List<Contract> contracts = new ArrayList<>();
        String index = new String(resource(classLoader, INDEX_FILE), StandardCharsets.UTF_8);
        for (String line : index.split("\n")) {
            String file = line.strip();
            if (!file.isEmpty() && !file.startsWith("#")) {
                contracts.add(parse(file, resource(classLoader, file)));
            }
        }
        return new ContractRegistry(contracts);
    }

    /** The contract files under {@code root}, relative and sorted: what {@code index.txt} must list. */
    public static List<String> listDirectory(Path root)
    {
        if (!Files.isDirectory(root)) {
            throw ContractException.notFound("not a directory: " + root);
        }
        try (Stream<Path> files = Files.walk(root, 2)) {
            return files.filter(Files::isRegularFile)
                    .map(path -> root.relativize(path).toString().replace('\\', '/'))
                    .filter(name -> name.contains("/") && !name.startsWith("_") && !name.startsWith("."))
                    .sorted()
                    .toList();
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot list contracts in " + root, e);
        }
    }

    /** Parses one contract file; {@code origin} is its path relative to the contracts root. */
    public Contract parse(String origin, byte[] content)
    {
        requireNonNull(origin, "origin is null");
        Matcher fileName = FILE_NAME.matcher(origin);
        if (!fileName.matches()) {
            throw ContractException.invalid(origin, "", "contract files must be named <dataset>/v<version>.json");
        }
        JsonNode json;
        try {
            json = mapper.readTree(content);
        }
        catch (JsonProcessingException e) {
            throw ContractException.invalid(origin, "", "not valid JSON: " + e.getOriginalMessage());
        }
        catch (IOException e) {
            throw ContractException.unreadable(origin, e);
        }
        if (json == null || !json.isObject()) {
            throw ContractException.invalid(origin, "", "a contract must be a JSON object");
        }
        for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
            String key = names.next();
            if (!KEYS.contains(key)) {
                throw ContractException.unknownKey(origin, key, KEYS.stream().sorted().toList());
            }
        }

        String dataset = text(json, "dataset", origin);
        if (!DATASET_NAME.matcher(dataset).matches()) {
            throw ContractException.invalid(origin, "/dataset", "dataset must match " + DATASET_NAME.pattern() + ": " + dataset);
        }
        JsonNode versionJson = json.path("version");
        if (!versionJson.isInt() || versionJson.intValue() < 1) {
            throw ContractException.invalid(origin, "/version", "version must be a positive integer: " + versionJson);
        }
        int version = versionJson.intValue();
        if (!fileName.group(1).equals(dataset) || Integer.parseInt(fileName.group(2)) != version) {
            throw ContractException.invalid(origin, "", "file name does not match dataset %s version %d (expected %s/v%d.json)".formatted(dataset, version, dataset, version));
        }
        String table = text(json, "table", origin);
        if (!TABLE_NAME.matcher(table).matches()) {
            throw ContractException.invalid(origin, "/table", "table must match " + TABLE_NAME.pattern() + ": " + table);
        }
        List<String> eventTypes = new ArrayList<>();
        JsonNode types = json.path("eventTypes");
        if (!types.isArray() || types.isEmpty()) {
            throw ContractException.invalid(origin, "/eventTypes", "eventTypes must be a non-empty array of strings");
        }
        for (JsonNode type : types) {
            if (!type.isTextual() || type.textValue().isBlank()) {
                throw ContractException.invalid(origin, "/eventTypes", "eventTypes must be a non-empty array of strings");
            }
            eventTypes.add(type.textValue());
        }
        if (!json.has("schema")) {
            throw ContractException.invalid(origin, "/schema", "missing schema");
        }
        SchemaNode schema = new SchemaNodeParser(origin).parseRoot(json.get("schema"), "/schema");

        List<String> examples = new ArrayList<>();
        JsonNode examplesJson = json.path("examples");
        if (!examplesJson.isMissingNode()) {
            if (!examplesJson.isArray()) {
                throw ContractException.invalid(origin, "/examples", "examples must be an array of CloudEvents");
            }
            for (JsonNode example : examplesJson) {
                if (!example.isObject()) {
                    throw ContractException.invalid(origin, "/examples", "each example must be a CloudEvent JSON object");
                }
                examples.add(example.toString());
            }
        }
        return new Contract(dataset, version, table, eventTypes, text(json, "owner", origin), text(json, "description", origin),
                schema, examples, origin);
    }

    private static String text(JsonNode json, String key, String origin)
    {
        JsonNode value = json.get(key);
        if (value == null || !value.isTextual() || value.textValue().isBlank()) {
            throw ContractException.invalid(origin, "/" + key, key + " must be a non-empty string");
        }
        return value.textValue();
    }

    private static byte[] resource(ClassLoader classLoader, String file)
    {
        String name = CLASSPATH_ROOT + "/" + file;
        try (InputStream in = classLoader.getResourceAsStream(name)) {
            if (in == null) {
                throw ContractException.notFound("no classpath resource " + name);
            }
            return in.readAllBytes();
        }
        catch (IOException e) {
            throw ContractException.unreadable(file, e);
        }
    }
}
