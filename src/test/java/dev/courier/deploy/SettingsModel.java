package dev.courier.deploy;

import dev.courier.config.SettingKey;
import dev.courier.config.SettingKeys;
import dev.courier.config.SettingSources;
import dev.courier.config.Settings;
import dev.courier.config.SettingsLoader;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Courier's settings model as the deployment files see it: {@link SettingKeys} (read when the tests run), named
 * targets and Kafka client settings.
 */
final class SettingsModel {

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

    /** Courier's default for {@code name}, as text ("" when it has none). */
    static String defaultOf(String name) {
        return key(name).map(SettingKey::defaultText).map(text -> text == null ? "" : text)
                .orElseThrow(() -> new AssertionError(name + " is not a Courier setting"));
    }

    /** Whether Courier knows the key: a setting, a named target's key, or a Kafka client setting under kafka.*. */
    static boolean isSetting(String name) {
        if (name.startsWith("kafka.")) {
            return isKafkaClientSetting(name.substring("kafka.".length()));
        }
        return key(name).isPresent() || TARGET_KEY.matcher(name).matches();
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
        return SettingKeys.ALL.stream().map(SettingKey::key).filter(name -> environmentVariable(name).equals(variable))
                .findFirst();
    }

    /**
     * Loads settings as {@code courier run --config file} would in {@code environment}.
     *
     * @throws dev.courier.config.SettingsException naming every key that Courier would refuse
     */
    static Settings load(Map<String, String> properties, Map<String, String> environment) {
        return SettingsLoader.load(SettingSources.none().withEnvironment(environment).withOverrides(properties));
    }

    static Settings load(Map<String, String> properties) {
        return load(properties, Map.of());
    }

    /** Where the files of a deployment live (secrets, certificates) once mounted: a test's stand-in directory. */
    static String relocate(String value, String mountRoot, Path standIn) {
        return value.replace(mountRoot, standIn.toString() + "/");
    }
}
