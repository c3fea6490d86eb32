package dev.courier.intake;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Records polled and not yet taken: a queue in poll order, and beside it the records of partitions that
 * must wait for their oldest event (their span is full), in offset order per partition. Bounded by what
 * one poll returns, since intake pauses while anything waits. Intake thread only.
 */
final class Backlog {

    private final ArrayDeque<ConsumerRecord<byte[], byte[]>> pending = new ArrayDeque<>();
    private final Map<TopicPartition, ArrayDeque<ConsumerRecord<byte[], byte[]>>> held = new LinkedHashMap<>();

    void add(ConsumerRecord<byte[], byte[]> record) {
        pending.add(record);
    }

    boolean hasPending() {
        return !pending.isEmpty();
    }

    ConsumerRecord<byte[], byte[]> peekPending() {
        return pending.peek();
    }

    ConsumerRecord<byte[], byte[]> pollPending() {
        return pending.poll();
    }

    /** Moves the first pending record aside, behind the other waiting records of its partition. */
    void holdFirst() {
        ConsumerRecord<byte[], byte[]> record = pending.poll();
        held.computeIfAbsent(partition(record), p -> new ArrayDeque<>()).add(record);
    }

    boolean isHeld(TopicPartition partition) {
        return held.containsKey(partition);
    }

    Set<TopicPartition> heldPartitions() {
        return held.keySet();
    }

    /** The oldest waiting record of {@code partition}, or null. */
    ConsumerRecord<byte[], byte[]> peekHeld(TopicPartition partition) {
        ArrayDeque<ConsumerRecord<byte[], byte[]>> records = held.get(partition);
        return records == null ? null : records.peek();
    }

    /** Takes the oldest waiting record of {@code partition}; the partition stops waiting when none is left. */
    ConsumerRecord<byte[], byte[]> pollHeld(TopicPartition partition) {
        ArrayDeque<ConsumerRecord<byte[], byte[]>> records = held.get(partition);
        ConsumerRecord<byte[], byte[]> record = records.poll();
        if (records.isEmpty()) {
            held.remove(partition);
        }
        return record;
    }

    /** Drops every record of {@code partitions}: they are not this instance's any more, or must be read again. */
    void forget(Collection<TopicPartition> partitions) {
        pending.removeIf(record -> partitions.contains(partition(record)));
        partitions.forEach(held::remove);
    }

    void clear() {
        pending.clear();
        held.clear();
    }

    static TopicPartition partition(ConsumerRecord<?, ?> record) {
        return new TopicPartition(record.topic(), record.partition());
    }
}
