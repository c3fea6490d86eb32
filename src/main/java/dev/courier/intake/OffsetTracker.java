package dev.courier.intake;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * For each assigned partition, which taken events are finished (their outcome covered by the next
 * commit) and so which offset may be committed: the highest one below which every event is finished,
 * with the finished offsets above it in the commit's metadata.
 *
 * <p>Thread-safe: the intake thread takes and commits, the producer's callback thread finishes.
 */
final class OffsetTracker {

    private final Map<TopicPartition, PartitionOffsets> partitions = new HashMap<>();

    /**
     * Records that the event at {@code offset} was taken, and says whether it must be processed: see
     * {@link PartitionOffsets.Taken}.
     */
    synchronized PartitionOffsets.Taken take(TopicPartition partition, long offset) {
        return partitions.computeIfAbsent(partition, p -> new PartitionOffsets(0)).take(offset);
    }

    /** Whether {@code offset} may be taken now without the partition's span passing its bound. */
    synchronized boolean hasRoom(TopicPartition partition, long offset) {
        PartitionOffsets tracked = partitions.get(partition);
        return tracked == null || tracked.hasRoom(offset);
    }

    /**
     * Starts tracking a partition afresh, in a new ownership epoch, from what was committed for it, metadata
     * included: on assignment, and when its uncommitted work is redone.
     */
    synchronized void assigned(TopicPartition partition, OffsetAndMetadata committed, long epoch) {
        PartitionOffsets offsets = new PartitionOffsets(epoch);
        if (committed != null) {
            offsets.markCommitted(committed.offset(), committed.metadata() == null ? "" : committed.metadata(), 0);
            offsets.preload(committed.offset(), CompletedOffsets.decode(committed.offset(),
                    committed.metadata() == null ? "" : committed.metadata()));
        }
        partitions.put(partition, offsets);
        notifyAll();
    }

    /**
     * Records that an event's outcome is covered by the next commit; ignored for a partition no longer tracked
     * or tracked in another epoch (the event belongs to an earlier ownership of it).
     */
    synchronized void finish(TopicPartition partition, long offset, long epoch) {
        PartitionOffsets offsets = partitions.get(partition);
        if (offsets != null && offsets.epoch() == epoch) {
            offsets.finish(offset);
            notifyAll();
        }
    }

    /**
     * Records that an event was abandoned: nobody waits for it any more, but its offset is not passed. Ignored
     * like {@link #finish} for another epoch.
     */
    synchronized void abandon(TopicPartition partition, long offset, long epoch) {
        PartitionOffsets offsets = partitions.get(partition);
        if (offsets != null && offsets.epoch() == epoch) {
            offsets.abandon(offset);
            notifyAll();
        }
    }

    /**
     * What to commit: the offsets (with their metadata) of the partitions with something new since they
     * were last committed, and how many events each had finished when they were read.
     */
    record Snapshot(Map<TopicPartition, OffsetAndMetadata> offsets, Map<TopicPartition, Long> finishedCounts) {

        static final Snapshot NONE = new Snapshot(Map.of(), Map.of());

        boolean isEmpty() {
            return offsets.isEmpty();
        }
    }

    synchronized Snapshot committable() {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        Map<TopicPartition, Long> finished = new HashMap<>();
        partitions.forEach((partition, tracked) -> {
            long offset = tracked.committable();
            if (offset >= 0) {
                String metadata = tracked.metadata();
                if (tracked.isNews(offset, metadata)) {
                    offsets.put(partition, new OffsetAndMetadata(offset, metadata));
                    finished.put(partition, tracked.finishedCount());
                }
            }
        });
        return new Snapshot(offsets, finished);
    }

    /** Records that the broker accepted a commit of {@code snapshot}: its events are no longer in flight. */
    synchronized void committed(Snapshot snapshot) {
        snapshot.offsets().forEach((partition, offset) -> {
            PartitionOffsets tracked = partitions.get(partition);
            if (tracked != null) {
                tracked.markCommitted(offset.offset(), offset.metadata(), snapshot.finishedCounts().get(partition));
            }
        });
        notifyAll();
    }

    /** Events in flight in every tracked partition: taken, and neither abandoned nor finished and committed. */
    synchronized long inFlight() {
        long count = 0;
        for (PartitionOffsets tracked : partitions.values()) {
            count += tracked.inFlight();
        }
        return count;
    }

    /** Events of every tracked partition taken and neither finished nor abandoned: calls in progress, say. */
    synchronized int unsettled() {
        return unsettled(partitions.keySet());
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
