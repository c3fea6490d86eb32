package dev.courier.publish;

import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transactions of one transactional id, one after another: each is begun, then committed with the consumed
 * offsets or aborted, and the producer is replaced when it fails. Each step towards the next open transaction
 * (commit, abort, new producer) that times out stays pending, and resumes where it stopped when run again; no
 * transaction is open meanwhile.
 *
 * <p>A {@link ProducerFencedException} means another producer took the transactional id
 * ({@link TransactionalIdInUseException}: this instance stops), unless the broker aborted the transaction for its
 * timeout (after an outage), which fences as well: then a new producer carries on. The two are told apart by the
 * transaction coordinator ({@link ClusterChecks#transactionState}), asked only when the transaction had outlived its
 * timeout: the broker's abort leaves the id's last transaction aborted and nobody using the id; another producer
 * leaves it empty (just initialised) or in a transaction of its own. A zombie that wakes after its replacement took
 * the id therefore stops, and the replacement keeps running. Failures the cluster makes for good (not authorized, an
 * unsupported broker) stop Courier ({@link OutcomesRefusedException}).
 *
 * <p>Not thread-safe: the {@link TransactionalPublisher} calls every method under the write side of its lock,
 * except {@link #open()} and {@link #producer()}, which senders read under the read side.
 */
final class TransactionLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(TransactionalPublisher.class);

    /** Hears what the publisher must act on. Called under the write lock. */
    interface Listener {

        /** A transaction is open; sends waiting for one may go in. */
        void opened();

        /**
         * A transaction is aborted: every outcome in it is discarded, and every partition must be disowned.
         *
         * @param transaction the transaction aborted, or null when none was open
         * @param cause       why, or null when it was abandoned
         */
        void aborted(Transaction transaction, Throwable cause);

        /** {@code transaction} committed: its outcomes are visible. */
        void committed(Transaction transaction);
    }

    private final Supplier<Producer<byte[], byte[]>> producers;
    private final String transactionalId;
    private final Duration transactionTimeout;
    private final ClusterChecks cluster;
    private final Listener listener;
    private final OutageLog outage = new OutageLog(LOG);
    /** The transaction sends go into; null while a step is pending. */
    private volatile Transaction open;
    /** Null while a new producer is still to be made. */
    private volatile Producer<byte[], byte[]> producer;
    /** The step that must complete before a transaction is open again, or null. */
    private Step pending;
    /** What {@link #pending} does, for messages. */
    private volatile String pendingStep = "nothing";

    /**
     * @param producers          makes a producer with the transactional id; called again when one must be replaced
     * @param transactionalId    the producers' transactional id, for messages
     * @param transactionTimeout the producers' {@code transaction.timeout.ms}
     * @param cluster            asked what the coordinator did with the id after a fence
     */
    TransactionLifecycle(Supplier<Producer<byte[], byte[]>> producers, String transactionalId,
            Duration transactionTimeout, ClusterChecks cluster, Listener listener) {
        this.producers = producers;
        this.transactionalId = transactionalId;
        this.transactionTimeout = transactionTimeout;
        this.cluster = cluster;
        this.listener = listener;
    }

    /**
     * Makes the producer, initialises its transactions (which aborts what a previous instance under the same id
     * left open) and begins the first transaction.
     *
     * @throws KafkaException when the cluster does not answer within {@code max.block.ms}, or refuses the producer
     */
    void start() {
        producer = producers.get();
        try {
            producer.initTransactions();
            begin();
        } catch (KafkaException e) {
            closeProducer(Duration.ZERO);
            throw e;
        }
    }

    /** The open transaction, or null while a step is pending. */
    Transaction open() {
        return open;
    }

    /** The producer of the open transaction; only meaningful while one is open. */
    Producer<byte[], byte[]> producer() {
        return producer;
    }

    boolean isPending() {
        return pending != null;
    }

    /** The transaction the pending step completes (a commit's, or an abort's), or null. */
    Transaction pendingTransaction() {
        return pending == null ? null : pending.transaction();
    }

    /** How long a step has been timing out and pending; {@link OutcomePublisher.Stall#NONE} while none is. */
    OutcomePublisher.Stall stall() {
        Duration duration = outage.duration();
        return duration.isZero() ? OutcomePublisher.Stall.NONE : new OutcomePublisher.Stall(duration, outage.what());
    }

    /** What is pending, for messages. */
    String pendingStep() {
        return pendingStep;
    }

    /**
     * Sends {@code offsets} to {@code transaction} and commits it, then begins the next one.
     *
     * @return {@link TransactionalPublisher.Commit#COMMITTED}, or {@code PENDING} when the broker did not answer
     * @throws TransactionAbortedException when the commit failed and the transaction is aborted
     */
    TransactionalPublisher.Commit commit(Transaction transaction, Map<TopicPartition, OffsetAndMetadata> offsets,
            ConsumerGroupMetadata group) throws TransactionAbortedException {
        startStep(new Committing(transaction, offsets, group));
        throwIfAborted(advance());
        return pending == null ? TransactionalPublisher.Commit.COMMITTED : TransactionalPublisher.Commit.PENDING;
    }

    /**
     * Tries the pending step again.
     *
     * @return {@code COMMITTED} when a pending commit completed, {@code NOTHING} when another step completed,
     *         {@code PENDING} when it is still pending
     * @throws TransactionAbortedException when a pending commit failed and its transaction is aborted
     */
    TransactionalPublisher.Commit resume() throws TransactionAbortedException {
        boolean wasCommit = pending instanceof Committing;
        throwIfAborted(advance());
        if (pending != null) {
            return TransactionalPublisher.Commit.PENDING;
        }
        return wasCommit ? TransactionalPublisher.Commit.COMMITTED : TransactionalPublisher.Commit.NOTHING;
    }

    /** Aborts {@code transaction} (null when none is open), now or when the broker answers, and begins the next. */
    TransactionAbortedException abort(Transaction transaction, Exception cause) {
        listener.aborted(transaction, cause);
        LOG.warn("Transaction aborted{}; its events are redone from the committed offsets",
                cause == null ? "" : " (" + cause.getMessage() + ")");
        startStep(new Aborting(transaction));
        advance();
        return new TransactionAbortedException(cause);
    }

    /**
     * Closes the producer within {@code timeout}, first aborting the open transaction when {@code abortOpen} (its
     * outcomes were not committed; the abort may block up to {@code max.block.ms}). A pending step is left to the
     * broker: a pending commit completes or aborts there, and either way its offsets match its outcomes.
     */
    void close(Duration timeout, boolean abortOpen) {
        long deadline = System.nanoTime() + timeout.toNanos();
        if (abortOpen && pending == null && open != null && open.hasOutcomes()) {
            try {
                producer.abortTransaction();
            } catch (KafkaException e) {
                LOG.debug("Aborting the last transaction failed: {}", e.getMessage());
            }
        }
        closeProducer(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    }

    private static void throwIfAborted(TransactionAbortedException aborted) throws TransactionAbortedException {
        if (aborted != null) {
            throw aborted;
        }
    }

    /** Closes the open transaction to sends until {@code step} and those after it complete. */
    private void startStep(Step step) {
        open = null;
        pending = step;
        pendingStep = step.toString();
    }

    /**
     * Tries the pending step, and the steps its failures call for, until a transaction is open or a step times out
     * (it stays pending). A commit that fails is aborted.
     *
     * @return the abort of a commit that failed, or null
     */
    private TransactionAbortedException advance() {
        TransactionAbortedException aborted = null;
        while (pending != null) {
            Step step = pending;
            try {
                step.run();
                pending = null;
                outage.over();
            } catch (TimeoutException e) {
                outage.pending("Kafka: " + step, e);
                break;
            } catch (FatalPublishException e) {
                throw e;
            } catch (ProducerFencedException e) {
                if (!step.outlived(transactionTimeout)) {
                    throw new TransactionalIdInUseException(transactionalId, e);
                }
                // Either the broker aborted the transaction for its timeout (an outage outlasted it), which fences the
                // producer too, or another producer took the id while this instance stalled: the coordinator says
                if (step.uncommitted()) {
                    listener.aborted(step.transaction(), e);
                    aborted = new TransactionAbortedException(e);
                }
                closeProducer(Duration.ZERO);
                startStep(new AfterFence(e));
            } catch (KafkaException e) {
                // a record too large is never permanent here: its send's own failure says whether it was in its
                // minimal form, and the publisher looks at that once the transaction is aborted
                if (SendFailures.isPermanent(e, false)) {
                    throw new OutcomesRefusedException("the transaction " + transactionalId + " (" + step + ")",
                            SendFailures.why(e), e);
                }
                if (step.uncommitted()) {
                    listener.aborted(step.transaction(), e);
                    LOG.warn("Transaction aborted ({}); its events are redone from the committed offsets",
                            e.getMessage());
                    aborted = new TransactionAbortedException(e);
                    startStep(new Aborting(step.transaction()));
                } else {
                    LOG.warn("The transactional producer failed while {} ({}); starting a new one", step,
                            e.getMessage());
                    replaceProducer();
                }
            }
        }
        return aborted;
    }

    private void replaceProducer() {
        closeProducer(Duration.ZERO);
        startStep(new NewProducer());
    }

    /** Opens the next transaction, and lets the sends waiting for it in. */
    private void begin() {
        producer.beginTransaction();
        open = new Transaction();
        listener.opened();
    }

    private void closeProducer(Duration timeout) {
        if (producer == null) {
            return;
        }
        try {
            producer.close(timeout);
        } catch (KafkaException e) {
            LOG.debug("Closing the transactional producer failed: {}", e.getMessage());
        }
        producer = null;
    }

    /** A step towards the next open transaction; each is run again after a timeout, and resumes where it stopped. */
    private interface Step {

        void run();

        /** Whether the transaction this step completes outlived {@code timeout} with outcomes in it. */
        default boolean outlived(Duration timeout) {
            return false;
        }

        /** Whether this is a commit that has not happened: its failure aborts the transaction. */
        default boolean uncommitted() {
            return false;
        }

        /** The transaction this step completes, or null. */
        default Transaction transaction() {
            return null;
        }
    }

    /** Sends the offsets to the transaction, commits it and begins the next one. */
    private final class Committing implements Step {

        private final Transaction transaction;
        private final Map<TopicPartition, OffsetAndMetadata> offsets;
        private final ConsumerGroupMetadata group;
        private boolean offsetsSent;
        private boolean committed;

        Committing(Transaction transaction, Map<TopicPartition, OffsetAndMetadata> offsets,
                ConsumerGroupMetadata group) {
            this.transaction = transaction;
            this.offsets = Map.copyOf(offsets);
            this.group = group;
        }

        @Override
        public void run() {
            if (!offsetsSent && !offsets.isEmpty()) {
                producer.sendOffsetsToTransaction(offsets, group);
            }
            offsetsSent = true;
            if (!committed) {
                producer.commitTransaction();
                committed = true;
                transaction.committed();
                listener.committed(transaction);
            }
            begin();
        }

        @Override
        public Transaction transaction() {
            return transaction;
        }

        @Override
        public boolean outlived(Duration timeout) {
            return transaction.outlived(timeout);
        }

        @Override
        public boolean uncommitted() {
            return !committed;
        }

        @Override
        public String toString() {
            return "committing the transaction";
        }
    }

    /** Aborts the transaction in progress and begins the next one. */
    private final class Aborting implements Step {

        private final Transaction transaction;
        private boolean aborted;

        /** @param transaction the transaction aborted, or null when none was open */
        Aborting(Transaction transaction) {
            this.transaction = transaction;
        }

        @Override
        public void run() {
            if (!aborted) {
                producer.abortTransaction();
                aborted = true;
            }
            begin();
        }

        @Override
        public boolean outlived(Duration timeout) {
            return transaction != null && transaction.outlived(timeout);
        }

        @Override
        public Transaction transaction() {
            return transaction;
        }

        @Override
        public String toString() {
            return "aborting the transaction";
        }
    }

    /**
     * After a fence of a transaction that had outlived its timeout: asks the coordinator what became of the id
     * (again after a timeout), and starts a new producer when the broker aborted the transaction and nobody else uses
     * the id; stops this instance otherwise.
     */
    private final class AfterFence implements Step {

        private final ProducerFencedException fence;
        private boolean abortedByBroker;

        AfterFence(ProducerFencedException fence) {
            this.fence = fence;
        }

        @Override
        public void run() {
            if (!abortedByBroker) {
                TransactionState state;
                try {
                    state = cluster.transactionState(transactionalId);
                } catch (TimeoutException e) {
                    throw e; // asked again at the next step
                } catch (KafkaException e) {
                    state = TransactionState.UNKNOWN;
                }
                if (state != TransactionState.PREPARE_ABORT && state != TransactionState.COMPLETE_ABORT
                        && state != TransactionState.PREPARE_EPOCH_FENCE) {
                    LOG.warn("The producer was fenced and the transaction coordinator shows the transactional id {}"
                            + " {} (not aborted by the broker): another producer uses it", transactionalId, state);
                    throw new TransactionalIdInUseException(transactionalId, fence);
                }
                abortedByBroker = true;
                LOG.warn("The transaction outlived kafka.transaction.timeout.ms ({} ms) and was aborted by the broker"
                        + " (the coordinator shows {} and nobody else using the id); starting a new producer",
                        transactionTimeout.toMillis(), state);
            }
            startProducer();
        }

        @Override
        public String toString() {
            return "asking the transaction coordinator what fenced the producer";
        }
    }

    /** Makes the producer when there is none, lets it abort what the id left open, and begins a transaction. */
    private void startProducer() {
        if (producer == null) {
            producer = producers.get();
        }
        producer.initTransactions();
        begin();
    }

    /** A new producer under the same transactional id, whose initialisation aborts what the old one left open. */
    private final class NewProducer implements Step {

        @Override
        public void run() {
            startProducer();
        }

        @Override
        public String toString() {
            return "starting a new transactional producer";
        }
    }
}
