package dev.courier.bench.contenders;

import java.util.Locale;

/**
 * What the harness tells a contender process, as system properties ({@code -Dbench.*}): where the broker and
 * registry are, which topics and group to use, and how much concurrency to allow. Immutable; read once at start.
 *
 * @param bootstrap   Kafka bootstrap servers
 * @param registry    base URL of the schema registry (for the writer schema of the request events)
 * @param requests    topic to read request events from
 * @param results     topic to write outcomes to
 * @param group       consumer group of this run
 * @param concurrency the most HTTP calls in progress at once
 * @param ordering    UNORDERED, KEY or PARTITION (parallel-consumer only)
 */
record ContenderSettings(String bootstrap, String registry, String requests, String results, String group,
        int concurrency, String ordering) {

    static ContenderSettings fromSystemProperties() {
        return new ContenderSettings(
                required("bench.bootstrap"),
                required("bench.registry"),
                required("bench.requests"),
                required("bench.results"),
                required("bench.group"),
                Integer.parseInt(System.getProperty("bench.concurrency", "1")),
                System.getProperty("bench.ordering", "UNORDERED").toUpperCase(Locale.ROOT));
    }

    private static String required(String key) {
        String value = System.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("missing -D" + key);
        }
        return value;
    }
}
