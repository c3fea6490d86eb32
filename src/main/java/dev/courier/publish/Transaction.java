package dev.courier.publish;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * One Kafka transaction of outcomes, as the {@link TransactionalPublisher} sees it: the outcomes sent into
 * it, the partitions of the requests topic they are of, and the first failure of any of its sends. Each send's callback reports to the transaction the send
 * went into, so a failure that arrives late (the batches the producer fails while this transaction aborts,
 * or while its producer is closed) stays with this transaction and never reaches the next one.
 *
 * <p>Thread-safe: sends add to it from workers, callbacks fail it from the producer's I/O thread, the intake
 * thread commits or aborts it.
 */
final class Transaction {

    private final List<OutcomePublisher.Progress> sent = new ArrayList<>();
    private final Set<TopicPartition> sources = new HashSet<>();
    private SendFailure failure;
    /** When the first outcome went in (System.nanoTime): when the coordinator's transaction timeout starts. */
    private long firstSentNanos;

    /**
     * A failed send of this transaction.
     *
     * @param topic     the topic it was for, or null when it did not get as far as a record
     * @param permanent whether the cluster refuses it for good ({@link SendFailures})
     */
    record SendFailure(String topic, Exception error, boolean permanent) {
    }

    /**
     * An outcome of an event of {@code source} (a partition of the requests topic) went into this transaction; it
     * becomes visible if the transaction commits.
     */
    synchronized void sent(OutcomePublisher.Progress progress, TopicPartition source) {
        if (sent.isEmpty()) {
            firstSentNanos = System.nanoTime();
        }
        sent.add(progress);
        sources.add(source);
    }

    /** The partitions of the requests topic whose outcomes went into this transaction. */
    synchronized Set<TopicPartition> sources() {
        return Set.copyOf(sources);
    }

    /**
     * Whether the transaction has been open with outcomes in it for {@code timeout} or longer, so the coordinator may
     * have aborted it for its timeout. An empty transaction is unknown to the coordinator and never times out.
     */
    synchronized boolean outlived(Duration timeout) {
        return !sent.isEmpty() && System.nanoTime() - firstSentNanos >= timeout.toNanos();
    }

    /** Whether any outcome went into this transaction. */
    synchronized boolean hasOutcomes() {
        return !sent.isEmpty();
    }

    /** A send of this transaction failed: it can only abort. The first failure is kept, or the first permanent one. */
    synchronized void failed(SendFailure failed) {
        if (failure == null || (failed.permanent() && !failure.permanent())) {
            failure = failed;
        }
    }

    /** The first failure of a send in this transaction (a permanent one before others), or null. */
    synchronized SendFailure failure() {
        return failure;
    }

    /** The transaction committed: its outcomes are visible. Called once, on the intake thread. */
    void committed() {
        List<OutcomePublisher.Progress> visible;
        synchronized (this) {
            visible = List.copyOf(sent);
            sent.clear();
        }
        visible.forEach(OutcomePublisher.Progress::visible);
    }
}
