package dev.courier.intake;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * For each assigned partition, which taken events are finished (their outcome acknowledged by the
 * broker) and so which offset may be committed: the highest one below which every event is finished.
 *
 * <p>Thread-safe: the intake thread takes and commits, the producer's callback thread finishes.
 */
final class OffsetTracker {

    private final Map<TopicPartition, PartitionOffsets> partitions = new HashMap<>();

    synchronized void take(TopicPartition partition, long offset) {
        partitions.computeIfAbsent(partition, p -> new PartitionOffsets()).take(offset);
    }

    /** Records an outcome acknowledged; an offset of a partition no longer tracked is ignored. */
    synchronized void finish(TopicPartition partition, long offset) {
        PartitionOffsets offsets = partitions.get(partition);
        if (offsets != null) {
            offsets.finish(offset);
            notifyAll();
        }
    }

    /** Records that an event was abandoned: nobody waits for it any more, but its offset is not passed. */
    synchronized void abandon(TopicPartition partition, long offset) {
        PartitionOffsets offsets = partitions.get(partition);
        if (offsets != null) {
            offsets.abandon(offset);
            notifyAll();
        }
    }

    /** The offsets that moved since they were last marked committed, ready for {@code commitSync/Async}. */
    synchronized Map<TopicPartition, OffsetAndMetadata> committable() {
        return committable(partitions.keySet());
    }

    synchronized Map<TopicPartition, OffsetAndMetadata> committable(Collection<TopicPartition> which) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : which) {
            PartitionOffsets tracked = partitions.get(partition);
            long offset = tracked == null ? -1 : tracked.committable();
            if (offset >= 0) {
                offsets.put(partition, new OffsetAndMetadata(offset));
            }
        }
        return offsets;
    }

    /** Records that the broker accepted these commits, so they are not committed again. */
    synchronized void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
        offsets.forEach((partition, offset) -> {
            PartitionOffsets tracked = partitions.get(partition);
            if (tracked != null) {
                tracked.markCommitted(offset.offset());
            }
        });
    }

    /** Events of {@code which} taken and neither finished nor abandoned. */
    synchronized int unsettled(Collection<TopicPartition> which) {
        int count = 0;
        for (TopicPartition partition : which) {
            PartitionOffsets tracked = partitions.get(partition);
            count += tracked == null ? 0 : tracked.unsettled();
        }
        return count;
    }

    /**
     * Waits until every taken event of {@code which} is finished or abandoned, at most {@code timeout}.
     *
     * @return true when all settled in time
     */
    synchronized boolean awaitSettled(Collection<TopicPartition> which, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (unsettled(which) > 0) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return false;
            }
            wait(Math.max(1, remaining / 1_000_000));
        }
        return true;
    }

    /** Stops tracking {@code which}: they were revoked or lost. */
    synchronized void forget(Collection<TopicPartition> which) {
        which.forEach(partitions::remove);
        notifyAll();
    }
}
