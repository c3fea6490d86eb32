package dev.courier.intake;

import dev.courier.publish.TransactionAbortedException;
import java.util.Collection;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * How intake commits the offsets whose outcomes are covered: alone, or in a transaction with them. Each call
 * blocks at most {@code courier.commit.timeout}. Intake thread.
 */
interface OffsetCommitter {

    /** The periodic commit of what the tracker has to commit; it may return before the broker has answered. */
    void commit() throws TransactionAbortedException;

    /**
     * The commit before partitions are let go or the consumer closes; it returns when the broker has answered, or
     * the commit timeout has passed.
     *
     * @return whether what was finished is committed (false: the commit failed, or is still pending)
     */
    boolean commitNow() throws TransactionAbortedException;

    /**
     * Whether a commit could not complete (the broker does not answer) and is tried again by the next call. While
     * it is, intake takes no new work: the dead letters it makes could not be published.
     */
    default boolean isPending() {
        return false;
    }

    /**
     * Partitions were revoked and their work committed; the consumer now rejoins the group, and the group's next
     * generation may form at any moment before this instance hears of it.
     */
    default void rejoining() {
    }

    /** These partitions are now this instance's, in these ownership epochs. */
    void assigned(Map<TopicPartition, Long> epochs);

    /** These partitions are given up after a commit; their late outcomes must not be published. */
    void released(Collection<TopicPartition> partitions);

    /**
     * These partitions were lost without a commit.
     *
     * @return true when the uncommitted work of the partitions kept must be redone (it was in an aborted transaction)
     */
    boolean lost(Collection<TopicPartition> partitions);
}
