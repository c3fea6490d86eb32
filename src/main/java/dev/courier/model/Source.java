package dev.courier.model;

import java.util.Objects;

/**
 * Where a request event was read: its topic, partition and offset.
 *
 * @param topic     the topic's name
 * @param partition the partition number
 * @param offset    the record's offset in the partition
 */
public record Source(String topic, int partition, long offset) {

    public Source {
        Objects.requireNonNull(topic, "topic");
    }

    @Override
    public String toString() {
        return topic + "-" + partition + "@" + offset;
    }
}
