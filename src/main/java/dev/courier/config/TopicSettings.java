package dev.courier.config;

import java.util.Optional;

/**
 * Courier's topics, and how {@code courier topics create} makes them.
 *
 * @param requests          topic of request events
 * @param results           topic of results
 * @param deadLetters       topic of dead letters
 * @param status            compacted topic of each request's latest status, keyed by request id
 * @param partitions        partitions of each created topic
 * @param replicationFactor replication of each created topic, or null for the broker's default
 */
public record TopicSettings(String requests, String results, String deadLetters, String status, int partitions,
        Integer replicationFactor) {

    public Optional<Short> replication() {
        return Optional.ofNullable(replicationFactor).map(Integer::shortValue);
    }
}
