package dev.courier.intake;

import java.time.Duration;
import java.util.Collection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which partitions this instance owns, in which ownership epoch, and what happens to their work when that
 * changes: assignment, revocation (calls in progress finish and commit, the rest is left to the next owner), loss
 * (the work is dropped, nothing is committed), a redo after an aborted transaction (the uncommitted work is read
 * again from the committed offsets), and a fetch position that moved back.
 *
 * <p>Every assignment, redo and rewind starts a new epoch for the partition; outcomes and acknowledgements of an
 * older epoch are ignored, so nothing is half-published or published twice.
 *
 * <p>Intake thread only: the consumer calls the rebalance callbacks inside {@code poll}.
 */
final class Ownership implements ConsumerRebalanceListener {

    private static final Logger LOG = LoggerFactory.getLogger(Ownership.class);
    /**
     * How long reading where partitions start may block the intake thread the first time: a healthy cluster answers
     * in milliseconds, and partitions that must wait longer are tried again without holding up the others.
     */
    static final Duration FIRST_FETCH_WAIT = Duration.ofSeconds(1);
    /** How often, and for how long each time, the committed offsets of blocked partitions are asked for again. */
    static final Duration RETRY_INTERVAL = Duration.ofMillis(500);
    static final Duration RETRY_WAIT = Duration.ofMillis(200);

    private final Consumer<byte[], byte[]> consumer;
    private final OffsetTracker tracker;
    private final OffsetCommitter committer;
    private final PartitionWork work;
    private final PartitionFlow flow;
    private final EngineListener listener;
    private final Timing timing;
    private final LongSupplier nanoTime;
    private final Map<TopicPartition, Long> epochs = new HashMap<>();
    private final Map<TopicPartition, Long> startPositions = new HashMap<>();
    /** Partitions being revoked: an abort meanwhile lets them go rather than redoing them. */
    private final Set<TopicPartition> revoking = new HashSet<>();
    /**
     * Partitions to read whose committed offsets could not be fetched yet, in the order they are asked for again;
     * they stay blocked.
     */
    private final Set<TopicPartition> toRedo = new LinkedHashSet<>();
    private CommitTimer commits;
    /** When {@link #retryRedo} may fetch the committed offsets of {@link #toRedo} again (nanoTime). */
    private long nextRetry;
    private long lastEpoch;
    private boolean closing;

    /**
     * @param drainTimeout how long calls in progress of revoked partitions get to finish
     * @param commitTick   how often the partitions kept are committed while revoked ones drain
     */
    record Timing(Duration drainTimeout, Duration commitTick) {
    }

    /** @param nanoTime a monotonic clock, in nanoseconds */
    Ownership(Consumer<byte[], byte[]> consumer, OffsetTracker tracker, OffsetCommitter committer, PartitionWork work,
            PartitionFlow flow, EngineListener listener, Timing timing, LongSupplier nanoTime) {
        this.consumer = consumer;
        this.tracker = tracker;
        this.committer = committer;
        this.work = work;
        this.flow = flow;
        this.listener = listener;
        this.timing = timing;
        this.nanoTime = nanoTime;
    }

    /** The commit timer revocations commit with; set once, before the first poll. */
    void commitWith(CommitTimer timer) {
        this.commits = timer;
    }

    /** The ownership epoch of {@code partition} now; 0 when it is not owned. */
    long epoch(TopicPartition partition) {
        return epochs.getOrDefault(partition, 0L);
    }

    /** From now on, revocations let go without draining or committing: intake has done both while closing. */
    void closing() {
        closing = true;
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            // a rebalance that left this instance's partitions as they were: the listener still hears of it (the
            // topic may have gained partitions that went to other instances)
            listener.onAssigned(Set.of());
            return;
        }
        Set<TopicPartition> assigned = new HashSet<>(partitions);
        LOG.info("Assigned {}", assigned);
        listener.onAssigned(assigned);
        flow.assigned(assigned);
        readFromCommitted(assigned, FIRST_FETCH_WAIT);
    }

    /**
     * Stops taking work from the revoked partitions, lets their calls in progress finish within the drain timeout
     * (committing meanwhile, so the transaction of the partitions kept does not time out), commits, and lets go.
     */
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        Set<TopicPartition> revoked = new HashSet<>(partitions);
        listener.onRevoked(revoked);
        flow.forget(revoked);
        if (!closing) {
            LOG.info("Revoked {}; letting their calls in progress finish", revoked);
            revoking.addAll(revoked);
            try {
                work.drain(revoked, timing.drainTimeout(), timing.commitTick(), commits::commitIfDue);
                // Disowned before the commit: an outcome that comes later must not reach the next transaction,
                // which would commit it after the next owner has taken the event over.
                committer.released(revoked);
                commits.commitNow();
                committer.rejoining();
            } finally {
                revoking.removeAll(revoked);
            }
        }
        release(revoked);
    }

    /** Drops the lost partitions' work without committing it; their events in flight are the next owner's. */
    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        Set<TopicPartition> lost = new HashSet<>(partitions);
        LOG.warn("Lost {} without a clean handover; their events in flight will be redone by the next owner", lost);
        listener.onLost(lost);
        flow.forget(lost);
        boolean redoKept = committer.lost(lost);
        release(lost);
        if (redoKept) {
            Set<TopicPartition> kept = new HashSet<>(epochs.keySet());
            redo(kept);
        }
    }

    /**
     * A transaction aborted: every owned partition's uncommitted work is redone from its committed offset, except
     * that of partitions being revoked, which is left to the next owner.
     */
    void aborted() {
        Set<TopicPartition> leaving = new HashSet<>(epochs.keySet());
        leaving.retainAll(revoking);
        release(leaving);
        redo(new HashSet<>(epochs.keySet()));
    }

    /**
     * The consumer fetched {@code partition} from {@code offset}, at or below an offset already taken: the log was
     * truncated (an unclean leader election) or the offset was reset. Its work in flight is dropped, and it is
     * tracked afresh from {@code offset}, without the committed record of finished offsets, which may now
     * describe other records.
     */
    void rewound(TopicPartition partition, long offset) {
        LOG.warn("The fetch position of {} moved back to offset {} (the log was truncated or the offset reset);"
                + " its events from there are processed as new", partition, offset);
        Set<TopicPartition> rewound = Set.of(partition);
        work.abandon(rewound);
        flow.forget(rewound);
        committer.released(rewound);
        own(rewound, Map.of());
        consumer.seek(partition, offset);
    }

    /**
     * Tries again, at most every {@link #RETRY_INTERVAL} and for at most {@link #RETRY_WAIT} in all, to read the
     * partitions whose committed offsets could not be fetched yet, one at a time: a partition that still cannot be
     * read ends the round and goes to the back of the line, so one that waits for a dead instance's transaction does
     * not hold up the others.
     */
    void retryRedo() {
        if (toRedo.isEmpty() || nanoTime.getAsLong() - nextRetry < 0) {
            return;
        }
        long deadline = nanoTime.getAsLong() + RETRY_WAIT.toNanos();
        for (TopicPartition partition : new ArrayList<>(toRedo)) {
            long remaining = deadline - nanoTime.getAsLong();
            if (remaining <= 0 || !readFromCommitted(Set.of(partition), Duration.ofNanos(remaining))) {
                return;
            }
        }
    }

    /**
     * Throws away the uncommitted work of {@code partitions} and reads them again from their committed offsets, in
     * new ownership epochs.
     */
    private void redo(Set<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        LOG.warn("Redoing the uncommitted work of {} from the committed offsets", partitions);
        work.abandon(partitions);
        flow.forget(partitions);
        tracker.forget(partitions); // nothing of theirs is committed until they are read again
        readFromCommitted(partitions, FIRST_FETCH_WAIT);
    }

    /**
     * Reads {@code partitions} from their committed offsets (those without one from where they were first read) in
     * new ownership epochs. While the committed offsets cannot be fetched within {@code wait} (the broker does not
     * answer; or an exactly-once instance that died left them in a transaction that is not yet aborted, which the
     * broker answers with UNSTABLE_OFFSET_COMMIT until it is), the partitions stay blocked and untracked, nothing of
     * theirs is taken, and {@link #retryRedo} tries again; the other partitions go on.
     */
    private boolean readFromCommitted(Set<TopicPartition> partitions, Duration wait) {
        Map<TopicPartition, OffsetAndMetadata> committed;
        try {
            committed = consumer.committed(partitions, wait);
            Set<TopicPartition> uncommitted = new HashSet<>(partitions);
            uncommitted.removeIf(partition -> committed.get(partition) != null
                    || startPositions.containsKey(partition));
            if (!uncommitted.isEmpty()) {
                // where a partition without a committed offset starts: its beginning (kafka.auto.offset.reset is
                // always earliest), asked for directly, since the consumer's own position would wait for the
                // committed offsets of every partition it has no position for yet, blocked ones too
                startPositions.putAll(consumer.beginningOffsets(uncommitted, wait));
            }
        } catch (KafkaException e) {
            nextRetry = nanoTime.getAsLong() + RETRY_INTERVAL.toNanos();
            Set<TopicPartition> newlyBlocked = new HashSet<>(partitions);
            newlyBlocked.removeAll(toRedo);
            if (!newlyBlocked.isEmpty()) {
                LOG.warn("Cannot fetch the committed offsets of {} yet (a transaction that holds them may still be"
                        + " open, or the broker does not answer: {}); they wait, and are asked for again every {} ms",
                        newlyBlocked, e.getMessage(), RETRY_INTERVAL.toMillis());
            }
            toRedo.removeAll(partitions); // to the back of the line
            toRedo.addAll(partitions);
            flow.block(partitions);
            return false;
        }
        own(partitions, committed);
        for (TopicPartition partition : partitions) {
            OffsetAndMetadata offset = committed.get(partition);
            consumer.seek(partition, offset != null ? offset.offset() : startPositions.get(partition));
        }
        if (toRedo.removeAll(partitions)) {
            LOG.info("Fetched the committed offsets of {}; reading them from there", partitions);
        }
        flow.unblock(partitions);
        return true;
    }

    /** Tracks {@code partitions} afresh from {@code committed}, each in a new ownership epoch. */
    private void own(Set<TopicPartition> partitions, Map<TopicPartition, OffsetAndMetadata> committed) {
        Map<TopicPartition, Long> owned = new HashMap<>();
        for (TopicPartition partition : partitions) {
            long epoch = ++lastEpoch;
            epochs.put(partition, epoch);
            owned.put(partition, epoch);
            tracker.assigned(partition, committed.get(partition), epoch);
        }
        committer.assigned(owned);
    }

    private void release(Set<TopicPartition> partitions) {
        committer.released(partitions);
        work.abandon(partitions);
        tracker.forget(partitions);
        partitions.forEach(epochs::remove);
        partitions.forEach(startPositions::remove);
        toRedo.removeAll(partitions);
        flow.unblock(partitions);
    }
}
