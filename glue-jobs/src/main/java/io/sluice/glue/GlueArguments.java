package io.sluice.glue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * Translates the arguments AWS Glue hands a job's main method into the {@code sluice} command line that does the work,
 * so backfill, replay and maintain have one implementation (spark-app's) on EMR, Glue and a laptop.
 *
 * <p>Glue passes every job argument, its own and the job's, as {@code --key value} pairs; a job argument is set once per
 * run (they are a map). The job's arguments are:
 * <ul>
 *   <li>{@code --command backfill|replay|maintain|marts} (required) picks the subcommand;</li>
 *   <li>{@code --lake s3://bucket/} is the lake the CDK stack made: it becomes {@code lake.root} and, below it,
 *       {@code lake.checkpoint-root} ({@code checkpoints/}, where the CDK grants access);</li>
 *   <li>{@code --from}, {@code --to}, {@code --source}, {@code --retain}, {@code --recent-days}, {@code --config} are
 *       the subcommand's options, passed as they are; {@code --dataset a,b} becomes one {@code --dataset} per name;
 *       {@code --dry-run true} becomes {@code --dry-run};</li>
 *   <li>a key with a dot is a Sluice configuration key ({@code --spark.shuffle-partitions 16}) and becomes
 *       {@code --set key=value}, validated by Sluice like any other;</li>
 *   <li>{@code --database} and {@code --environment} describe the deployment (Glue's console shows them beside each run);
 *       Sluice finds its tables by path, so they are accepted and not passed on.</li>
 * </ul>
 * Glue's own arguments ({@code --JOB_NAME}, {@code --TempDir}, {@code --conf}, ...) are ignored. Any other key is
 * refused with one line, so a misspelt option fails the run before Spark starts instead of being dropped.
 */
public final class GlueArguments
{
    public static final List<String> COMMANDS = List.of("backfill", "replay", "maintain", "marts");

    /** Below {@code --lake}: the prefix the CDK stack grants the jobs for streaming checkpoints. */
    static final String CHECKPOINTS_PREFIX = "checkpoints";

    private static final String COMMAND = "command";
    private static final String LAKE = "lake";
    private static final String DATASET = "dataset";
    private static final String DRY_RUN = "dry-run";
    /** Options of the subcommands, passed through with their value. */
    private static final List<String> PASSED_THROUGH = List.of("from", "to", "source", "recent-days", "retain", "config");
    /** Set by the CDK stack to describe the deployment; not options of any subcommand. */
    private static final List<String> DESCRIPTIVE = List.of("database", "environment");

    /**
     * Glue's documented job parameters ("Job parameters used by AWS Glue") and those it adds to every run. Families
     * of them ({@code --enable-*}, {@code --continuous-log-*}, ...) and upper-case keys are matched by
     * {@link #GLUE_KEY_FAMILIES}, so a parameter Glue adds later does not fail the jobs.
     */
    private static final Set<String> GLUE_KEYS = Set.of(
            "job-language", "class", "scriptLocation", "extra-jars", "extra-files", "extra-py-files", "user-jars-first",
            "job-bookmark-option", "TempDir", "conf", "datalake-formats", "additional-python-modules",
            "python-modules-installer-option", "executor-cores", "auto-scale-within-microbatch", "use-postgres-driver",
            "encryption-type", "disable-proxy-v2", "RedshiftTempDir", "write-shuffle-files-to-s3",
            "write-shuffle-spills-to-s3");
    private static final Pattern GLUE_KEY_FAMILIES = Pattern.compile(
            "[A-Z][A-Z0-9_]*|(enable|continuous-log|spark-event|customer|extra)-[A-Za-z0-9-]*");

    private GlueArguments() {}

    /**
     * The {@code sluice} command line for a Glue job run's arguments.
     *
     * @throws IllegalArgumentException with a one-line message naming the argument, its value and the fix
     */
    public static List<String> toSluiceCommandLine(List<String> glueArguments)
    {
        requireNonNull(glueArguments, "glueArguments is null");
        Map<String, String> sluice = sluiceArguments(glueArguments);

        String command = Optional.ofNullable(sluice.remove(COMMAND))
                .orElseThrow(() -> new IllegalArgumentException(
                        "Missing Glue job argument --command: set it to one of " + COMMANDS + " in the job's arguments"));
        if (!COMMANDS.contains(command)) {
            throw invalid(COMMAND, command, "one of " + COMMANDS);
        }

        List<String> commandLine = new ArrayList<>();
        commandLine.add(command);
        Map<String, String> settings = new LinkedHashMap<>();
        // Glue's spark-submit chooses the master; Sluice's default (local[*]) is for laptops.
        settings.put("spark.master", "");
        Optional.ofNullable(sluice.remove(LAKE)).ifPresent(lake -> {
            String root = lake.endsWith("/") ? lake.substring(0, lake.length() - 1) : lake;
            if (root.isEmpty()) {
                throw invalid(LAKE, lake, "the lake bucket's URI, such as s3://sluice-lake-123/");
            }
            settings.put("lake.root", root);
            settings.put("lake.checkpoint-root", root + "/" + CHECKPOINTS_PREFIX);
        });
        DESCRIPTIVE.forEach(sluice::remove);

        for (Map.Entry<String, String> argument : sluice.entrySet()) {
            String key = argument.getKey();
            String value = argument.getValue();
            if (key.contains(".")) {
                // Explicit configuration wins over what --lake implies; Sluice validates key and value.
                settings.put(key, value);
            }
            else if (key.equals(DATASET)) {
                for (String dataset : value.split(",", -1)) {
                    if (dataset.isBlank()) {
                        throw invalid(DATASET, value, "dataset names separated by commas, such as tennis.serve,tennis.match");
                    }
                    commandLine.add("--" + DATASET);
                    commandLine.add(dataset.trim());
                }
            }
            else if (key.equals(DRY_RUN)) {
                switch (value.toLowerCase(Locale.ROOT)) {
                    case "true" -> commandLine.add("--" + DRY_RUN);
                    case "false" -> { }
                    default -> throw invalid(DRY_RUN, value, "true or false");
                }
            }
            else {
                commandLine.add("--" + key);
                commandLine.add(value);
            }
        }
        settings.forEach((key, value) -> {
            commandLine.add("--set");
            commandLine.add(key + "=" + value);
        });
        return List.copyOf(commandLine);
    }

    /**
     * The job's own arguments, keys without their dashes, in the order given; Glue's are dropped. Glue passes a value
     * after every key, but a Glue key directly followed by another key is tolerated, so a flag-style parameter Glue
     * might add does not fail the run.
     */
    private static Map<String, String> sluiceArguments(List<String> arguments)
    {
        Map<String, String> sluice = new LinkedHashMap<>();
        for (int i = 0; i < arguments.size(); i++) {
            String token = requireNonNull(arguments.get(i), "argument is null");
            if (!token.startsWith("--") || token.length() == 2) {
                throw new IllegalArgumentException("Invalid Glue job argument '" + token + "': expected --key value pairs");
            }
            String key = token.substring(2);
            boolean hasValue = i + 1 < arguments.size() && !arguments.get(i + 1).startsWith("--");
            if (isGlueKey(key)) {
                i += hasValue ? 1 : 0;
                continue;
            }
            if (!isSluiceKey(key)) {
                throw new IllegalArgumentException("Unknown Glue job argument --" + key + ": Sluice's are --command, --lake, --"
                        + String.join(", --", PASSED_THROUGH) + ", --" + DATASET + ", --" + DRY_RUN + ", --"
                        + String.join(", --", DESCRIPTIVE) + " and configuration keys such as --spark.shuffle-partitions");
            }
            if (!hasValue) {
                throw new IllegalArgumentException("Missing value for Glue job argument --" + key);
            }
            String value = arguments.get(++i);
            // Glue's arguments are a map, so a key arrives once; twice means two places disagree, and guessing is worse.
            if (sluice.putIfAbsent(key, value) != null) {
                throw new IllegalArgumentException("Invalid Glue job argument --" + key + ": given twice ('" + sluice.get(key)
                        + "' and '" + value + "'); give it once (--dataset takes a comma-separated list)");
            }
        }
        return sluice;
    }

    private static boolean isGlueKey(String key)
    {
        return GLUE_KEYS.contains(key) || GLUE_KEY_FAMILIES.matcher(key).matches();
    }

    private static boolean isSluiceKey(String key)
    {
        return key.equals(COMMAND) || key.equals(LAKE) || key.equals(DATASET) || key.equals(DRY_RUN)
                || PASSED_THROUGH.contains(key) || DESCRIPTIVE.contains(key) || key.contains(".");
    }

    private static IllegalArgumentException invalid(String key, String value, String expected)
    {
        return new IllegalArgumentException("Invalid Glue job argument --%s: '%s' (expected %s)".formatted(key, value, expected));
    }
}
