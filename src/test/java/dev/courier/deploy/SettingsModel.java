package dev.courier.deploy;

import dev.courier.config.SettingKey;
import dev.courier.config.SettingKeys;
import dev.courier.config.SettingSources;
import dev.courier.config.Settings;
import dev.courier.config.SettingsLoader;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Courier's settings model as the deployment files see it: {@link SettingKeys} (read when the tests run), named
 * targets, Kafka client settings, and the settings that the observability issue adds.
 */
final class SettingsModel {

    /**
     * Settings that issue 12 (observability: the admin server, JSON logs) adds to {@link SettingKeys}, with their
     * defaults, which the chart and the image already use. Until that work is merged they are not in SettingKeys and
     * the tests accept them from here (checking their values against {@link #checkFromObservability}); once they are,
     * SettingKeys' own definitions are used and these entries are ignored. After the merge this map should be emptied.
     */
    static final Map<String, String> FROM_OBSERVABILITY = Map.of(
            "courier.admin.port", "8080",
            "courier.admin.bind", "0.0.0.0",
            "courier.admin.token", "",
            "courier.log.format", "auto");

    /** {@code courier.targets.NAME.KEY} with a KEY of a target, as SettingsLoader accepts them. */
    private static final Pattern TARGET_KEY = Pattern.compile("courier\\.targets\\.[A-Za-z0-9_-]+\\."
            + "(base-url|auth|auth-secret|ca-file|client-cert-file|client-key-file|connect-timeout|call-timeout"
            + "|max-attempts|rate|headers\\.[A-Za-z0-9!#$%&'*+.^_`|~-]+)");

    private SettingsModel() {
    }

    /** The documented setting of this name, when SettingKeys has it. */
    static Optional<SettingKey<?>> key(String name) {
        return SettingKeys.documented().stream().filter(key -> key.key().equals(name)).findFirst();
    }

    /** Whether {@code name} is one of the observability settings that SettingKeys does not have yet. */
    static boolean awaitsObservability(String name) {
        return FROM_OBSERVABILITY.containsKey(name) && key(name).isEmpty();
    }

    /** Courier's default for {@code name}, as text ("" when it has none). */
    static String defaultOf(String name) {
        return key(name).map(SettingKey::defaultText).map(text -> text == null ? "" : text)
                .orElseGet(() -> {
                    if (!FROM_OBSERVABILITY.containsKey(name)) {
                        throw new AssertionError(name + " is not a Courier setting");
                    }
                    return FROM_OBSERVABILITY.get(name);
                });
    }

    /** Whether Courier knows the key: a setting, a named target's key, or a Kafka client setting under kafka.*. */
    static boolean isSetting(String name) {
        if (name.startsWith("kafka.")) {
            return isKafkaClientSetting(name.substring("kafka.".length()));
        }
        return key(name).isPresent() || FROM_OBSERVABILITY.containsKey(name) || TARGET_KEY.matcher(name).matches();
    }

    /** A setting of Kafka's consumer, producer or admin client (Courier passes kafka.* keys to all three). */
    static boolean isKafkaClientSetting(String name) {
        return ConsumerConfig.configNames().contains(name) || ProducerConfig.configNames().contains(name)
                || AdminClientConfig.configNames().contains(name);
    }

    /** The environment variable that sets {@code name}, as SettingSources reads it. */
    static String environmentVariable(String name) {
        return "COURIER_" + name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** The setting an environment variable names (SettingSources' rules), for the variables of fixed settings. */
    static Optional<String> keyOfVariable(String variable) {
        Set<String> names = new HashSet<>(FROM_OBSERVABILITY.keySet());
        SettingKeys.ALL.forEach(key -> names.add(key.key()));
        return names.stream().filter(name -> environmentVariable(name).equals(variable)).findFirst();
    }

    /**
     * Loads settings as {@code courier run --config file} would in {@code environment}, with the observability
     * settings that SettingKeys does not know yet left out (and checked on their own).
     *
     * @throws dev.courier.config.SettingsException naming every key that Courier would refuse
     */
    static Settings load(Map<String, String> properties, Map<String, String> environment) {
        Map<String, String> known = new LinkedHashMap<>();
        properties.forEach((name, value) -> {
            if (awaitsObservability(name)) {
                checkFromObservability(name, value);
            } else {
                known.put(name, value);
            }
        });
        Map<String, String> variables = new LinkedHashMap<>();
        environment.forEach((variable, value) -> {
            Optional<String> name = keyOfVariable(variable).filter(SettingsModel::awaitsObservability);
            if (name.isPresent()) {
                checkFromObservability(name.get(), value);
            } else {
                variables.put(variable, value);
            }
        });
        return SettingsLoader.load(SettingSources.none().withEnvironment(variables).withOverrides(known));
    }

    static Settings load(Map<String, String> properties) {
        return load(properties, Map.of());
    }

    /** The values issue 12 allows for its settings. */
    static void checkFromObservability(String name, String value) {
        boolean valid = switch (name) {
            case "courier.admin.port" -> value.matches("\\d{1,5}") && Integer.parseInt(value) <= 65_535;
            case "courier.admin.bind" -> value.matches("[0-9.]+|[0-9a-fA-F:]+");
            case "courier.admin.token" -> value.matches("\\$\\{(env|file):[^}]+}");
            case "courier.log.format" -> Set.of("json", "text", "auto").contains(value);
            default -> throw new AssertionError(name + " is not an observability setting");
        };
        if (!valid) {
            throw new AssertionError(name + "=" + value + " is not a value Courier takes");
        }
    }

    /** Where the files of a deployment live (secrets, certificates) once mounted: a test's stand-in directory. */
    static String relocate(String value, String mountRoot, Path standIn) {
        return value.replace(mountRoot, standIn.toString() + "/");
    }
}
