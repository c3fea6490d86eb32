package dev.courier.intake;

import dev.courier.publish.TransactionAbortedException;
import dev.courier.publish.TransactionalPublisher;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exactly-once: offsets are committed in the publisher's transaction, together with the outcomes they cover. A
 * commit the broker does not answer stays pending with the offsets it was begun with; those are marked committed
 * once it completes.
 *
 * <p><b>Rejoining.</b> The broker refuses transactional offsets sent with a group generation older than the
 * group's, and the transaction then aborts: its events are redone, their calls made again. After a revocation the
 * consumer rejoins the group, and the next generation forms as soon as every member has rejoined; this instance
 * learns of it only at its next poll. A periodic commit meanwhile would race the new generation, so periodic
 * commits wait until the consumer's generation has changed, for at most half the transaction timeout (the other
 * members hear of the rebalance at their next heartbeat, within 3 s); the transaction stays open meanwhile.
 */
final class TransactionCommitter implements OffsetCommitter {

    private static final Logger LOG = LoggerFactory.getLogger(TransactionCommitter.class);

    private final Consumer<byte[], byte[]> consumer;
    private final TransactionalPublisher publisher;
    private final OffsetTracker tracker;
    private final LongSupplier nanoTime;
    private final long holdLimitNanos;
    /** The offsets of the commit in progress (pending), or null. */
    private OffsetTracker.Snapshot inProgress;
    /** The generation periodic commits wait to see replaced, or {@link #NOT_HOLDING}. */
    private int heldGeneration = NOT_HOLDING;
    /** When the hold began (nanoTime). */
    private long heldSince;
    private static final int NOT_HOLDING = Integer.MIN_VALUE;

    /** @param nanoTime a monotonic clock, in nanoseconds */
    TransactionCommitter(Consumer<byte[], byte[]> consumer, TransactionalPublisher publisher, OffsetTracker tracker,
            LongSupplier nanoTime) {
        this.consumer = consumer;
        this.publisher = publisher;
        this.tracker = tracker;
        this.nanoTime = nanoTime;
        this.holdLimitNanos = publisher.transactionTimeout().toNanos() / 2;
    }

    /** Commits, unless the consumer is rejoining the group (see the class comment). */
    @Override
    public void commit() throws TransactionAbortedException {
        if (!holding()) {
            commitNow();
        }
    }

    @Override
    public void rejoining() {
        heldGeneration = consumer.groupMetadata().generationId();
        heldSince = nanoTime.getAsLong();
    }

    private boolean holding() {
        if (heldGeneration == NOT_HOLDING) {
            return false;
        }
        if (consumer.groupMetadata().generationId() != heldGeneration) {
            heldGeneration = NOT_HOLDING;
            return false;
        }
        long held = nanoTime.getAsLong() - heldSince;
        if (held >= holdLimitNanos) {
            LOG.info("The group has not formed its next generation within {} ms of this instance rejoining;"
                    + " committing meanwhile (a commit that crosses it aborts, and its events are redone)",
                    TimeUnit.NANOSECONDS.toMillis(held));
            heldGeneration = NOT_HOLDING;
            return false;
        }
        return true;
    }

    /** The offsets are read inside the publisher's commit, when no outcome is being sent. */
    @Override
    public boolean commitNow() throws TransactionAbortedException {
        TransactionalPublisher.Commit result;
        try {
            result = publisher.commit(() -> {
                inProgress = tracker.committable();
                return inProgress.offsets();
            }, consumer.groupMetadata());
        } catch (TransactionAbortedException e) {
            inProgress = null;
            throw e;
        }
        if (result == TransactionalPublisher.Commit.COMMITTED) {
            tracker.committed(inProgress);
        }
        if (result != TransactionalPublisher.Commit.PENDING) {
            inProgress = null;
        }
        return result != TransactionalPublisher.Commit.PENDING;
    }

    @Override
    public boolean isPending() {
        return publisher.isPending();
    }

    @Override
    public void assigned(Map<TopicPartition, Long> epochs) {
        publisher.own(epochs);
    }

    @Override
    public void released(Collection<TopicPartition> partitions) {
        publisher.disown(partitions);
    }

    @Override
    public boolean lost(Collection<TopicPartition> partitions) {
        publisher.abandon();
        return true;
    }
}
