package dev.courier.intake;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Partition flow control: which polled records are handed on, and which partitions the consumer fetches.
 *
 * <ul>
 *   <li>While records wait, the events in flight are at {@code courier.max-in-flight}, or intake must take no new
 *       work (stopping, a commit pending), every partition is paused; they resume below three quarters of the
 *       bound. Intake keeps polling while paused, so it stays in the group.</li>
 *   <li>A partition whose span from the committed offset is full (its oldest event is stuck) is paused alone,
 *       its records held in offset order until the oldest finishes.</li>
 *   <li>A partition that must be read again but cannot yet (its committed offset could not be fetched) is blocked:
 *       paused, whatever else happens, until it is unblocked.</li>
 * </ul>
 *
 * <p>Intake thread only.
 */
final class PartitionFlow {

    /** Takes a record from the backlog; see {@link #feed}. */
    interface Taker {

        /** Whether another record may be taken now. */
        boolean canTake();

        /** Takes {@code record}; false when it cannot be taken now and must stay where it is. */
        boolean take(ConsumerRecord<byte[], byte[]> record);
    }

    private final Consumer<byte[], byte[]> consumer;
    private final OffsetTracker tracker;
    private final int maxInFlight;
    private final int resumeBelow;
    private final Backlog backlog = new Backlog();
    private final Set<TopicPartition> blocked = new HashSet<>();
    private boolean paused;

    PartitionFlow(Consumer<byte[], byte[]> consumer, OffsetTracker tracker, int maxInFlight) {
        this.consumer = consumer;
        this.tracker = tracker;
        this.maxInFlight = maxInFlight;
        this.resumeBelow = Math.max(1, maxInFlight - maxInFlight / 4);
    }

    /** Whether every partition is paused. */
    boolean isPaused() {
        return paused;
    }

    void polled(Iterable<ConsumerRecord<byte[], byte[]>> records) {
        records.forEach(backlog::add);
    }

    /**
     * Hands polled records to {@code taker} while there is room in flight and it can take more: first those of
     * partitions that were held for their oldest event and have room again, then the rest in poll order,
     * holding (and pausing) a partition whose span is full. Stops at the first record {@code taker} refuses.
     *
     * @return how many records were taken
     */
    int feed(Taker taker) {
        int taken = 0;
        for (TopicPartition partition : new ArrayList<>(backlog.heldPartitions())) {
            ConsumerRecord<byte[], byte[]> record = backlog.peekHeld(partition);
            while (record != null && hasRoom() && taker.canTake() && tracker.hasRoom(partition, record.offset())) {
                if (!taker.take(record)) {
                    return taken;
                }
                taken++;
                backlog.pollHeld(partition);
                record = backlog.peekHeld(partition);
            }
            if (!backlog.isHeld(partition) && !paused && !blocked.contains(partition)) {
                consumer.resume(List.of(partition));
            }
        }
        while (backlog.hasPending() && hasRoom() && taker.canTake()) {
            ConsumerRecord<byte[], byte[]> record = backlog.peekPending();
            TopicPartition partition = Backlog.partition(record);
            if (backlog.isHeld(partition) || !tracker.hasRoom(partition, record.offset())) {
                backlog.holdFirst();
                consumer.pause(List.of(partition));
                continue;
            }
            if (!taker.take(record)) {
                return taken;
            }
            taken++;
            backlog.pollPending();
        }
        return taken;
    }

    private boolean hasRoom() {
        return tracker.inFlight() < maxInFlight;
    }

    /**
     * Pauses every partition while records wait, the in-flight bound is reached or {@code hold} says so; resumes
     * the partitions neither held nor blocked once none of that is so and the events in flight are below three
     * quarters of the bound.
     */
    void update(boolean hold) {
        boolean mustPause = hold || backlog.hasPending() || tracker.inFlight() >= maxInFlight;
        if (!paused && mustPause) {
            consumer.pause(consumer.assignment());
            paused = true;
        } else if (paused && !mustPause && tracker.inFlight() < resumeBelow) {
            Set<TopicPartition> flowing = new HashSet<>(consumer.assignment());
            flowing.removeAll(backlog.heldPartitions());
            flowing.removeAll(blocked);
            consumer.resume(flowing);
            paused = false;
        }
    }

    /** Newly assigned partitions start paused when the others are. */
    void assigned(Collection<TopicPartition> partitions) {
        if (paused) {
            consumer.pause(partitions);
        }
    }

    /** Drops the polled records of {@code partitions}: they are not this instance's any more, or are read again. */
    void forget(Collection<TopicPartition> partitions) {
        backlog.forget(partitions);
    }

    /** Drops every polled record: intake is stopping. */
    void clear() {
        backlog.clear();
    }

    /** Keeps {@code partitions} paused until {@link #unblock}. */
    void block(Collection<TopicPartition> partitions) {
        blocked.addAll(partitions);
        consumer.pause(partitions);
    }

    /**
     * {@code partitions} may flow again (they were read again from their committed offsets, or let go): they
     * resume unless every partition is paused.
     */
    void unblock(Collection<TopicPartition> partitions) {
        blocked.removeAll(partitions);
        if (!paused) {
            Set<TopicPartition> resumed = new HashSet<>(partitions);
            resumed.retainAll(consumer.assignment());
            consumer.resume(resumed);
        }
    }
}
