package dev.courier.intake;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At-least-once: offsets are committed by the consumer, after the broker has acknowledged the outcomes. The
 * periodic commit is asynchronous; {@link #commitNow} waits at most the commit timeout.
 */
final class ConsumerCommitter implements OffsetCommitter {

    private static final Logger LOG = LoggerFactory.getLogger(ConsumerCommitter.class);

    private final Consumer<byte[], byte[]> consumer;
    private final OffsetTracker tracker;
    private final Duration timeout;

    ConsumerCommitter(Consumer<byte[], byte[]> consumer, OffsetTracker tracker, Duration timeout) {
        this.consumer = consumer;
        this.tracker = tracker;
        this.timeout = timeout;
    }

    @Override
    public void commit() {
        OffsetTracker.Snapshot snapshot = tracker.committable();
        if (snapshot.isEmpty()) {
            return;
        }
        consumer.commitAsync(snapshot.offsets(), (committed, error) -> {
            if (error == null) {
                tracker.committed(snapshot);
            } else if (error instanceof RebalanceInProgressException || error instanceof RetriableException) {
                LOG.debug("Committing offsets must wait; the next commit will include them: {}", error.getMessage());
            } else {
                LOG.warn("Committing offsets failed; the next commit will include them: {}", error.getMessage());
            }
        });
    }

    @Override
    public boolean commitNow() {
        OffsetTracker.Snapshot snapshot = tracker.committable();
        if (snapshot.isEmpty()) {
            return true;
        }
        try {
            consumer.commitSync(snapshot.offsets(), timeout);
            tracker.committed(snapshot);
            return true;
        } catch (KafkaException e) {
            LOG.warn("Committing {} failed; those events may be redone: {}", snapshot.offsets().keySet(),
                    e.getMessage());
            return false;
        }
    }

    @Override
    public void assigned(Map<TopicPartition, Long> epochs) {
    }

    @Override
    public void released(Collection<TopicPartition> partitions) {
    }

    @Override
    public boolean lost(Collection<TopicPartition> partitions) {
        return false;
    }
}
