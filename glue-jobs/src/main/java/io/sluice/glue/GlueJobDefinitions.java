package io.sluice.glue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Reads glue-jobs.conf, the one description of Sluice's Glue jobs, for the CDK app and the tests. Every field is
 * required and checked, so a typo fails the synth naming the field instead of deploying a job without it.
 */
public final class GlueJobDefinitions
{
    /** Where the description lives on the classpath (glue-jobs/src/main/resources/...). */
    public static final String RESOURCE = "io/sluice/glue/glue-jobs.conf";

    private GlueJobDefinitions() {}

    /** One definition per command, in {@link GlueArguments#COMMANDS} order. */
    public static Map<String, GlueJobDefinition> load()
    {
        ClassLoader loader = GlueJobDefinitions.class.getClassLoader();
        if (loader.getResource(RESOURCE) == null) {
            throw new IllegalStateException("Cannot find " + RESOURCE + " on the classpath: is sluice-glue-jobs a dependency?");
        }
        return parse(ConfigFactory.parseResources(loader, RESOURCE, ConfigParseOptions.defaults().setAllowMissing(false)));
    }

    static Map<String, GlueJobDefinition> parse(Config config)
    {
        try {
            onlyKeys(config, Set.of("arguments", "jobs", "max-concurrent-runs", "max-retries"), "");
            Map<String, String> common = strings(config.getConfig("arguments"));
            Config jobs = config.getConfig("jobs");
            onlyKeys(jobs, Set.copyOf(GlueArguments.COMMANDS), "jobs.");
            Map<String, GlueJobDefinition> definitions = new LinkedHashMap<>();
            for (String command : GlueArguments.COMMANDS) {
                if (!jobs.hasPath(command)) {
                    throw new IllegalArgumentException("Invalid Glue job definitions: no job for command " + command);
                }
                Config job = jobs.getConfig(command);
                onlyKeys(job, Set.of("worker-type", "workers", "timeout-minutes"), "jobs." + command + ".");
                SortedMap<String, String> arguments = new TreeMap<>(common);
                arguments.put("--command", command);
                definitions.put(command, new GlueJobDefinition(command, job.getString("worker-type"), job.getInt("workers"),
                        job.getInt("timeout-minutes"), config.getInt("max-concurrent-runs"), config.getInt("max-retries"),
                        arguments));
            }
            return Collections.unmodifiableMap(definitions);
        }
        catch (ConfigException e) {
            throw new IllegalArgumentException("Invalid Glue job definitions: " + e.getMessage(), e);
        }
    }

    private static void onlyKeys(Config config, Set<String> known, String path)
    {
        for (String key : config.root().keySet()) {
            if (!known.contains(key)) {
                throw new IllegalArgumentException("Invalid Glue job definitions: unknown key " + path + key
                        + " (expected one of " + new TreeSet<>(known) + ")");
            }
        }
    }

    private static Map<String, String> strings(Config config)
    {
        Map<String, String> values = new TreeMap<>();
        for (Map.Entry<String, ConfigValue> entry : config.root().entrySet()) {
            // Keys are quoted in the file ("--conf"), and root() gives them back unquoted, as Glue wants them.
            values.put(entry.getKey(), String.valueOf(entry.getValue().unwrapped()));
        }
        return values;
    }
}
