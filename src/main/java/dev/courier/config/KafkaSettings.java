package dev.courier.config;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code kafka.*} settings with the prefix removed, for the Kafka clients as they are.
 *
 * @param clientProperties client configuration, {@code bootstrap.servers} always present
 */
public record KafkaSettings(Map<String, String> clientProperties) {

    public KafkaSettings {
        clientProperties = Map.copyOf(clientProperties);
    }

    public String bootstrapServers() {
        return clientProperties.get("bootstrap.servers");
    }

    /** Values of keys that may hold credentials (passwords, JAAS configs, keys) are hidden. */
    @Override
    public String toString() {
        Map<String, String> shown = new TreeMap<>();
        clientProperties.forEach((key, value) -> shown.put(key, isSensitive(key) ? "****" : value));
        return "KafkaSettings" + shown;
    }

    private static boolean isSensitive(String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        return lower.contains("password") || lower.contains("jaas") || lower.contains("secret")
                || lower.endsWith(".key") || lower.contains("token") || lower.contains("credentials");
    }
}
