package dev.courier.intake;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntSupplier;
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
 *   <li>A partition whose next event is for a rate-limit key with no room left in the dispatcher (its events in
 *       flight and parked are at their bounds) is paused alone the same way, until the key has room.</li>
 *   <li>Events the dispatcher parks (beyond their key's {@code courier.max-in-flight-per-key}) do not count
 *       towards the in-flight bound, so one blocked key cannot pause the partitions of the others.</li>
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

        /** Takes {@code record}, or says why not. */
        Took take(ConsumerRecord<byte[], byte[]> record);

        /** Whether an event of rate-limit key {@code key} may be taken now. */
        boolean hasRoomFor(String key);
    }

    /**
     * What became of a record offered to the {@link Taker}.
     *
     * @param kind what happened
     * @param key  for {@link Kind#HOLD}, the rate-limit key that has no room
     */
    record Took(Kind kind, String key) {

        enum Kind {
            /** Taken (handed on, or skipped as finished before). */
            TAKEN,
            /** Not taken now, and it must stay where it is: intake tries again later. */
            STAY,
            /** Its rate-limit key has no room: its partition waits, held, until the key has. */
            HOLD
        }

        static final Took TAKEN = new Took(Kind.TAKEN, null);
        static final Took STAY = new Took(Kind.STAY, null);

        static Took hold(String key) {
            return new Took(Kind.HOLD, key);
        }
    }

    private final Consumer<byte[], byte[]> consumer;
    private final OffsetTracker tracker;
    private final int maxInFlight;
    private final int resumeBelow;
    private final Backlog backlog = new Backlog();
    private final Set<TopicPartition> blocked = new HashSet<>();
    /** The held partitions whose next record waits for room of its rate-limit key, with the key. */
    private final Map<TopicPartition, String> waitingForKey = new HashMap<>();
    private final IntSupplier parked;
    private boolean paused;

    /** @param parked events the dispatcher parks now, which do not count towards {@code maxInFlight} */
    PartitionFlow(Consumer<byte[], byte[]> consumer, OffsetTracker tracker, int maxInFlight, IntSupplier parked) {
        this.consumer = consumer;
        this.tracker = tracker;
        this.parked = parked;
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
            String key = waitingForKey.get(partition);
            if (key != null && !taker.hasRoomFor(key)) {
                continue;
            }
            ConsumerRecord<byte[], byte[]> record = backlog.peekHeld(partition);
            while (record != null && hasRoom() && taker.canTake() && tracker.hasRoom(partition, record.offset())) {
                Took took = taker.take(record);
                if (took.kind() == Took.Kind.STAY) {
                    return taken;
                }
                if (took.kind() == Took.Kind.HOLD) {
                    waitingForKey.put(partition, took.key());
                    break;
                }
                waitingForKey.remove(partition);
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
            Took took = taker.take(record);
            if (took.kind() == Took.Kind.STAY) {
                return taken;
            }
            if (took.kind() == Took.Kind.HOLD) {
                waitingForKey.put(partition, took.key());
                backlog.holdFirst();
                consumer.pause(List.of(partition));
                continue;
            }
            taken++;
            backlog.pollPending();
        }
        return taken;
    }

    private boolean hasRoom() {
        return counted() < maxInFlight;
    }

    /** Events in flight that count towards the bound: those the dispatcher parks do not. */
    private long counted() {
        return tracker.inFlight() - parked.getAsInt();
    }

    /**
     * Pauses every partition while records wait, the in-flight bound is reached or {@code hold} says so; resumes
     * the partitions neither held nor blocked once none of that is so and the events in flight are below three
     * quarters of the bound.
     */
    void update(boolean hold) {
        long counted = counted();
        boolean mustPause = hold || backlog.hasPending() || counted >= maxInFlight;
        if (!paused && mustPause) {
            consumer.pause(consumer.assignment());
            paused = true;
        } else if (paused && !mustPause && counted < resumeBelow) {
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
        partitions.forEach(waitingForKey::remove);
    }

    /** Drops every polled record: intake is stopping. */
    void clear() {
        backlog.clear();
        waitingForKey.clear();
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
