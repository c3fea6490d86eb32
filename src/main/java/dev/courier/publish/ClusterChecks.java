package dev.courier.publish;

import org.apache.kafka.clients.admin.TransactionState;

/**
 * What publishing asks the cluster when a failure alone does not say what happened: whether an outcome topic is
 * gone, and what the transaction coordinator last did with a transactional id. Each call blocks at most the
 * implementation's bound. Thread-safe.
 */
public interface ClusterChecks extends AutoCloseable {

    /** Asks nothing: a topic is never known to be gone, and the coordinator is never asked (tests). */
    ClusterChecks NONE = new ClusterChecks() {
        @Override
        public boolean topicGone(String topic) {
            return false;
        }

        @Override
        public TransactionState transactionState(String transactionalId) {
            return TransactionState.UNKNOWN;
        }
    };

    /**
     * Whether the cluster says {@code topic} does not exist; false when it exists or the cluster cannot say (it does
     * not answer, say).
     */
    boolean topicGone(String topic);

    /**
     * The state the transaction coordinator has for {@code transactionalId}; {@link TransactionState#UNKNOWN} when it
     * cannot say (not authorized to describe it, or an error).
     *
     * @throws org.apache.kafka.common.errors.TimeoutException when the cluster does not answer in time: ask again
     *                                                         later
     */
    TransactionState transactionState(String transactionalId);

    @Override
    default void close() {
    }
}
