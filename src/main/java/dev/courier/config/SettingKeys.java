package dev.courier.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * Every setting Courier reads, with its default. This is the one place defaults live; the README
 * table lists the same keys (a test keeps the two in step).
 *
 * <p>Besides these, {@code kafka.*} keys pass unchanged to the Kafka clients, and each named target
 * is a pattern key, {@code courier.targets.NAME.base-url} (see {@link #TARGET_BASE_URL_PREFIX}).
 */
public final class SettingKeys {

    public static final SettingKey<String> KAFKA_BOOTSTRAP_SERVERS = new SettingKey<>(
            "kafka.bootstrap.servers", "host:port list", "localhost:9092",
            "Kafka brokers to bootstrap from, comma-separated. Every other kafka.* key is passed to the"
                    + " Kafka clients unchanged (e.g. kafka.security.protocol, kafka.sasl.mechanism).",
            ValueParsers.text());

    public static final SettingKey<URI> REGISTRY_URL = new SettingKey<>(
            "courier.schema-registry.url", "http(s) URL", "http://localhost:8081",
            "Confluent-compatible schema registry.",
            ValueParsers.httpUrl());

    public static final SettingKey<String> REGISTRY_USERNAME = new SettingKey<>(
            "courier.schema-registry.username", "string", null,
            "User for HTTP basic auth to the registry; set together with the password.",
            ValueParsers.text());

    public static final SettingKey<String> REGISTRY_PASSWORD = new SettingKey<>(
            "courier.schema-registry.password", "secret", null,
            "Password for HTTP basic auth to the registry; pass it by environment"
                    + " (COURIER_COURIER_SCHEMA_REGISTRY_PASSWORD), not in a file.",
            ValueParsers.text());

    public static final SettingKey<Duration> REGISTRY_TIMEOUT = new SettingKey<>(
            "courier.schema-registry.timeout", "duration 100ms..5m", "10s",
            "Time allowed for one registry request, connecting included.",
            ValueParsers.duration(Duration.ofMillis(100), Duration.ofMinutes(5)));

    public static final SettingKey<Integer> REGISTRY_CACHE_SIZE = new SettingKey<>(
            "courier.schema-registry.cache-size", "integer 10..100000", "1000",
            "Schemas kept in memory by id, and schema ids by subject; the least recently used go first.",
            ValueParsers.integer(10, 100_000));

    public static final SettingKey<Boolean> REGISTRY_AUTO_REGISTER = new SettingKey<>(
            "courier.schema-registry.auto-register", "boolean", "true",
            "Register Courier's schemas on first use; when false, the subject's latest version is used"
                    + " and must already be registered.",
            ValueParsers.bool());

    public static final SettingKey<String> TOPIC_REQUESTS = new SettingKey<>(
            "courier.topics.requests", "topic name", "courier.requests",
            "Topic Courier reads request events from.",
            topicName());

    public static final SettingKey<String> TOPIC_RESULTS = new SettingKey<>(
            "courier.topics.results", "topic name", "courier.results",
            "Topic Courier writes results to.",
            topicName());

    public static final SettingKey<String> TOPIC_DEAD_LETTERS = new SettingKey<>(
            "courier.topics.dead-letters", "topic name", "courier.dead-letters",
            "Topic Courier writes dead letters to.",
            topicName());

    public static final SettingKey<Integer> TOPIC_PARTITIONS = new SettingKey<>(
            "courier.topics.partitions", "integer 1..10000", "6",
            "Partitions of each topic created by `courier topics create`.",
            ValueParsers.integer(1, 10_000));

    public static final SettingKey<Integer> TOPIC_REPLICATION_FACTOR = new SettingKey<>(
            "courier.topics.replication-factor", "integer 1..32767", null,
            "Replication factor of each topic created by `courier topics create`; the broker's"
                    + " default.replication.factor when unset.",
            ValueParsers.integer(1, Short.MAX_VALUE));

    public static final SettingKey<String> GROUP_ID = new SettingKey<>(
            "courier.group-id", "string", "courier",
            "Kafka consumer group of the Courier instances that share the requests topic.",
            ValueParsers.text());

    public static final SettingKey<Duration> CONNECT_TIMEOUT = new SettingKey<>(
            "courier.connect-timeout", "duration 1s..10m", "15s",
            "How long Courier waits for the Kafka cluster to answer at start, and how long a command waits"
                    + " on Kafka before it gives up with an error.",
            ValueParsers.duration(Duration.ofSeconds(1), Duration.ofMinutes(10)));

    /** {@code courier.targets.NAME.base-url}: the base URL of the target an event names instead of a URL. */
    public static final String TARGET_BASE_URL_PREFIX = "courier.targets.";
    public static final String TARGET_BASE_URL_SUFFIX = ".base-url";
    static final SettingKey<URI> TARGET_BASE_URL = new SettingKey<>(
            TARGET_BASE_URL_PREFIX + "NAME" + TARGET_BASE_URL_SUFFIX, "http(s) URL", null,
            "Base URL of the named target NAME (letters, digits, - and _); an event with target NAME and"
                    + " path /p calls this URL followed by /p.",
            ValueParsers.httpUrl());

    /** The keys with a fixed name, in README order. */
    public static final List<SettingKey<?>> ALL = List.of(
            KAFKA_BOOTSTRAP_SERVERS,
            REGISTRY_URL, REGISTRY_USERNAME, REGISTRY_PASSWORD, REGISTRY_TIMEOUT, REGISTRY_CACHE_SIZE,
            REGISTRY_AUTO_REGISTER,
            TOPIC_REQUESTS, TOPIC_RESULTS, TOPIC_DEAD_LETTERS, TOPIC_PARTITIONS, TOPIC_REPLICATION_FACTOR,
            GROUP_ID, CONNECT_TIMEOUT);

    /** Every documented key, the target pattern included, in README order. */
    public static List<SettingKey<?>> documented() {
        return java.util.stream.Stream.concat(ALL.stream(), java.util.stream.Stream.of(TARGET_BASE_URL)).toList();
    }

    private SettingKeys() {
    }

    /** Kafka's rule for topic names: 1 to 249 of letters, digits, '.', '_' and '-', not "." or "..". */
    private static ValueParser<String> topicName() {
        return text -> {
            String name = text.trim();
            if (name.matches("[a-zA-Z0-9._-]{1,249}") && !name.equals(".") && !name.equals("..")) {
                return name;
            }
            throw new IllegalArgumentException("must be a Kafka topic name: 1 to 249 letters, digits, '.', '_' or '-'");
        };
    }
}
