package dev.courier.config;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Where settings come from, lowest precedence first: a properties file, environment variables
 * ({@code COURIER_} and the key upper-cased, {@code .} and {@code -} as {@code _}), JVM system
 * properties, and {@code -Dkey=value} on the command line. Immutable; each {@code with} returns a
 * copy.
 */
public final class SettingSources {

    private static final String KAFKA_PREFIX = "kafka.";
    private static final String COURIER_PREFIX = "courier.";
    private static final String KAFKA_ENV_PREFIX = "COURIER_KAFKA_";
    private static final String COURIER_ENV_PREFIX = "COURIER_COURIER_";
    private static final String TARGET_ENV_PREFIX = "COURIER_COURIER_TARGETS_";
    /**
     * The target keys an environment variable can set, so that a key whose variable ends another's comes after it
     * ({@code _SIGNING_PREVIOUS_SECRET} before {@code _SIGNING_SECRET}, {@code _OAUTH2_CLIENT_AUTH} before
     * {@code _AUTH}): NAME may hold underscores.
     */
    private static final List<String> TARGET_ENV_KEYS = List.of("signing.previous-secret", "signing.secret",
            "oauth2.client-secret", "oauth2.client-auth", "oauth2.client-id", "oauth2.token-url", "oauth2.audience",
            "oauth2.scope", "client-cert-file", "client-key-file", "connect-timeout", "call-timeout", "max-attempts",
            "auth-secret", "base-url", "ca-file", "signing", "auth", "rate");

    private final Path file;
    private final Map<String, String> environment;
    private final Map<String, String> systemProperties;
    private final Map<String, String> overrides;

    private SettingSources(Path file, Map<String, String> environment, Map<String, String> systemProperties,
            Map<String, String> overrides) {
        this.file = file;
        this.environment = environment;
        this.systemProperties = systemProperties;
        this.overrides = overrides;
    }

    /** No sources: every setting takes its default. */
    public static SettingSources none() {
        return new SettingSources(null, Map.of(), Map.of(), Map.of());
    }

    /** The file, {@code environment}, the JVM's system properties and the command line's {@code overrides}. */
    public static SettingSources standard(Optional<Path> file, Map<String, String> environment,
            Map<String, String> overrides) {
        Map<String, String> system = new TreeMap<>();
        System.getProperties().forEach((key, value) -> system.put(String.valueOf(key), String.valueOf(value)));
        return none().withFile(file.orElse(null)).withEnvironment(environment)
                .withSystemProperties(system).withOverrides(overrides);
    }

    public SettingSources withFile(Path file) {
        return new SettingSources(file, environment, systemProperties, overrides);
    }

    public SettingSources withEnvironment(Map<String, String> environment) {
        return new SettingSources(file, Map.copyOf(environment), systemProperties, overrides);
    }

    /** Only properties whose key starts with {@code courier.} or {@code kafka.} are read. */
    public SettingSources withSystemProperties(Map<String, String> systemProperties) {
        return new SettingSources(file, environment, Map.copyOf(systemProperties), overrides);
    }

    /** {@code -Dkey=value} pairs from the command line; the highest precedence. */
    public SettingSources withOverrides(Map<String, String> overrides) {
        return new SettingSources(file, environment, systemProperties, Map.copyOf(overrides));
    }

    /** The environment as given, for secrets referenced as {@code ${env:VAR}}. */
    Map<String, String> environment() {
        return environment;
    }

    /** Where a value came from, for messages. */
    record RawValue(String text, String origin) {
    }

    /**
     * Every key that some source sets, with the value of highest precedence. Problems with the
     * sources themselves (an unreadable file, an unknown environment variable) go to {@code problems}.
     */
    Map<String, RawValue> collect(List<String> problems) {
        Map<String, RawValue> values = new LinkedHashMap<>();
        if (file != null) {
            readFile(values, problems);
        }
        readEnvironment(values, problems);
        systemProperties.forEach((key, value) -> {
            if (key.startsWith(COURIER_PREFIX) || key.startsWith(KAFKA_PREFIX)) {
                values.put(key, new RawValue(value, "system property " + key));
            }
        });
        overrides.forEach((key, value) -> values.put(key, new RawValue(value, "-D" + key)));
        return values;
    }

    /**
     * Reads the file's settings.
     *
     * @throws SettingsException at once, naming each key whose value ends in a comment ({@link TrailingComments}):
     *                           the value is not what its line seems to say, and problems reported about it would
     *                           mislead (a secret reference followed by a comment reads as the secret itself)
     */
    private void readFile(Map<String, RawValue> values, List<String> problems) {
        Properties properties = new Properties();
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
            properties.load(new StringReader(text));
        } catch (NoSuchFileException e) {
            problems.add("config file " + file + " does not exist");
            return;
        } catch (IOException | IllegalArgumentException e) {
            problems.add("cannot read config file " + file + ": " + e.getMessage());
            return;
        }
        String origin = file.getFileName().toString();
        List<String> comments = TrailingComments.in(text).stream()
                .map(found -> found.key() + " (from " + origin + ", line " + found.line() + ") ends in a comment (\""
                        + found.comment() + "\"), which a .properties file keeps as part of the value; put the comment"
                        + " on a line of its own, or write \\# for a # that belongs to the value")
                .toList();
        if (!comments.isEmpty()) {
            throw new SettingsException(comments);
        }
        new TreeMap<>(properties).forEach((key, value) ->
                values.put(String.valueOf(key), new RawValue(String.valueOf(value), origin)));
    }

    /**
     * Environment variables are read only under {@code COURIER_KAFKA_} and {@code COURIER_COURIER_};
     * others such as the {@code COURIER_PORT} Kubernetes sets for a service named courier are ignored.
     */
    private void readEnvironment(Map<String, RawValue> values, List<String> problems) {
        Map<String, String> knownByVariable = new LinkedHashMap<>();
        for (SettingKey<?> key : SettingKeys.ALL) {
            knownByVariable.put(key.environmentVariable(), key.key());
        }
        new TreeMap<>(environment).forEach((variable, value) -> {
            String origin = "environment variable " + variable;
            String key = knownByVariable.get(variable);
            if (key == null && variable.startsWith(TARGET_ENV_PREFIX)) {
                key = targetKey(variable);
            }
            if (key == null && variable.startsWith(KAFKA_ENV_PREFIX)) {
                key = KAFKA_PREFIX + variable.substring(KAFKA_ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
            } else if (key == null && variable.startsWith(COURIER_ENV_PREFIX)) {
                problems.add("unknown environment variable " + variable
                        + Suggestions.nearest(variable, knownByVariable.keySet()).map(s -> "; did you mean " + s + "?").orElse(""));
                return;
            }
            if (key != null) {
                values.put(key, new RawValue(value, origin));
            }
        });
    }

    /**
     * {@code COURIER_COURIER_TARGETS_<NAME>_<KEY>} as {@code courier.targets.<name>.<key>}, for every target key but
     * {@code headers.HEADER} (whose header name the variable's form cannot carry); null when it is none of them.
     */
    private static String targetKey(String variable) {
        String rest = variable.substring(TARGET_ENV_PREFIX.length());
        for (String key : TARGET_ENV_KEYS) {
            String suffix = "_" + key.toUpperCase(Locale.ROOT).replace('-', '_').replace('.', '_');
            if (rest.endsWith(suffix) && rest.length() > suffix.length()) {
                String name = rest.substring(0, rest.length() - suffix.length()).toLowerCase(Locale.ROOT);
                return SettingKeys.TARGET_BASE_URL_PREFIX + name + "." + key;
            }
        }
        return null;
    }
}
