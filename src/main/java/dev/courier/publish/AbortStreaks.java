package dev.courier.publish;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * The backstop against an exactly-once loop that nothing classifies as permanent: how many transactions in a row
 * that held outcomes of each partition of the requests topic aborted, with no commit of the partition's outcomes in
 * between. Each such abort redoes the partition's events and calls their targets again; at {@link #LIMIT} Courier
 * stops instead ({@link RepeatedAbortsException}), and a restart redoes them once more.
 *
 * <p>Five is well above what the faults a transaction rides out cause to one partition (a rebalance that crosses a
 * commit, a broker restart, a transaction timed out in an outage: one abort each, after which the partition's
 * outcomes commit again), and low enough that an event's target is called a handful of times, not dozens.
 *
 * <p>Not thread-safe: the publisher calls it under the write side of its lock.
 */
final class AbortStreaks {

    /** Aborts in a row of one partition's outcomes that stop Courier. */
    static final int LIMIT = 5;

    private final Map<TopicPartition, Integer> aborts = new HashMap<>();
    private TopicPartition tripped;
    private int trippedAt;
    private Throwable lastCause;

    /** A transaction that held outcomes of {@code partitions} aborted, for {@code cause} (null when abandoned). */
    void aborted(Set<TopicPartition> partitions, Throwable cause) {
        for (TopicPartition partition : partitions) {
            int count = aborts.merge(partition, 1, Integer::sum);
            if (count >= LIMIT && tripped == null) {
                tripped = partition;
                trippedAt = count;
                lastCause = cause;
            }
        }
    }

    /** A transaction committed outcomes of {@code partitions}: their streaks end. */
    void committed(Set<TopicPartition> partitions) {
        partitions.forEach(aborts::remove);
    }

    /** The stop the streaks call for, or null while none has reached the limit. */
    RepeatedAbortsException stop() {
        return tripped == null ? null : new RepeatedAbortsException(tripped.toString(), trippedAt, lastCause);
    }
}
