package dev.courier.config;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Everything Courier is configured with, validated and immutable. Load it with
 * {@link SettingsLoader}; every default lives in {@link SettingKeys}.
 *
 * @param kafka    settings passed to the Kafka clients
 * @param registry how to reach the schema registry
 * @param topics   Courier's topics
 * @param groupId  consumer group of the Courier instances
 * @param connectTimeout how long to wait for Kafka at start and in commands
 * @param targets  each named target, by name
 * @param dispatch how the engine takes and runs work
 * @param http     how the HTTP client behaves
 * @param retry    what counts as success and what is retried, with what waits
 * @param rate     token-bucket limits on attempts
 * @param delivery what Courier promises about outcomes, and how
 * @param egress   where free URLs may lead, beyond the address policy that is always on
 * @param redactQueryParams query parameters whose values are redacted at rest, lower-cased
 * @param ops      the admin server, metrics and logs
 * @param status   the status view of requests by id
 * @param circuit  each host's circuit breaker
 * @param keepRawValues whether the dead letter of a record that cannot be decoded keeps its value's bytes (they may
 *                 hold credentials that could not be redacted); otherwise its length, hash and schema id
 */
public record Settings(KafkaSettings kafka, RegistrySettings registry, TopicSettings topics, String groupId,
        Duration connectTimeout, Map<String, TargetSettings> targets, DispatchSettings dispatch, HttpSettings http,
        RetrySettings retry, RateSettings rate, DeliverySettings delivery, EgressSettings egress,
        Set<String> redactQueryParams, OpsSettings ops, StatusSettings status, CircuitSettings circuit,
        boolean keepRawValues) {

    public Settings {
        targets = Map.copyOf(targets);
        redactQueryParams = Set.copyOf(redactQueryParams);
    }

    /** The base URL of the named target, or empty when none is configured under that name. */
    public Optional<URI> targetBaseUrl(String name) {
        return target(name).map(TargetSettings::baseUrl);
    }

    /** The named target, or empty when none is configured under that name. */
    public Optional<TargetSettings> target(String name) {
        return Optional.ofNullable(name == null ? null : targets.get(name));
    }

    /** The defaults, as if no file, environment variable or override were given. */
    public static Settings defaults() {
        return SettingsLoader.load(SettingSources.none());
    }
}
