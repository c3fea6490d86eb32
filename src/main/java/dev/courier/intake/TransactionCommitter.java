package dev.courier.intake;

import dev.courier.publish.TransactionAbortedException;
import dev.courier.publish.TransactionalPublisher;
import java.util.Collection;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/** Exactly-once: offsets are committed in the publisher's transaction, together with the outcomes they cover. */
final class TransactionCommitter implements OffsetCommitter {

    private final Consumer<byte[], byte[]> consumer;
    private final TransactionalPublisher publisher;
    private final OffsetTracker tracker;

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
    public void commitNow() throws TransactionAbortedException {
        OffsetTracker.Snapshot[] snapshot = {OffsetTracker.Snapshot.NONE};
        publisher.commit(() -> {
            snapshot[0] = tracker.committable();
            return snapshot[0].offsets();
        }, consumer.groupMetadata());
        tracker.committed(snapshot[0]);
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
