package dev.courier.intake;

import dev.courier.publish.TransactionAbortedException;
import dev.courier.publish.TransactionalPublisher;
import java.util.Collection;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Exactly-once: offsets are committed in the publisher's transaction, together with the outcomes they cover. A
 * commit the broker does not answer stays pending with the offsets it was begun with; those are marked committed
 * once it completes.
 */
final class TransactionCommitter implements OffsetCommitter {

    private final Consumer<byte[], byte[]> consumer;
    private final TransactionalPublisher publisher;
    private final OffsetTracker tracker;
    /** The offsets of the commit in progress (pending), or null. */
    private OffsetTracker.Snapshot inProgress;

    TransactionCommitter(Consumer<byte[], byte[]> consumer, TransactionalPublisher publisher, OffsetTracker tracker) {
        this.consumer = consumer;
        this.publisher = publisher;
        this.tracker = tracker;
    }

    @Override
    public void commit() throws TransactionAbortedException {
        commitNow();
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
