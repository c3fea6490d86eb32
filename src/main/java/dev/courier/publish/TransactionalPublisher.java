package dev.courier.publish;

import dev.courier.codec.SchemaRegistryException;
import dev.courier.model.Outcome;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The exactly-once {@link OutcomePublisher}: outcomes are sent inside the open Kafka transaction, and
 * {@link #commit} adds the consumed offsets to it with {@code sendOffsetsToTransaction} and commits, so a
 * {@code read_committed} reader sees an event's outcome exactly when its offset is committed.
 *
 * <p>No send straddles a commit: sends hold the read side of a lock, a commit holds the write side. An
 * outcome is covered as soon as it is sent into the open transaction, and visible when that commits.
 * Only outcomes of the partitions this instance owns, in their current ownership epoch, are sent; others
 * are dropped. A transaction that fails is aborted whole: its outcomes are discarded, every partition is
 * disowned (so an outcome that arrives late is dropped, not sent into the next transaction), and the
 * caller redoes the events from the committed offsets, owning the partitions again in new epochs. Each
 * send reports its failure to the {@link Transaction} it went into, so the batches a producer fails while
 * it aborts never fail the next transaction.
 *
 * <p><b>Outages.</b> A commit, an abort or the start of a new producer that times out (the broker does not
 * answer within the producer's {@code max.block.ms}) stays pending: {@link #commit} returns
 * {@link Commit#PENDING} and the next call tries the same step again, for as long as the outage lasts. Each
 * call blocks at most {@code max.block.ms}, so the intake thread keeps polling and hears a shutdown. While a
 * step is pending no transaction is open, and {@link #publish} waits (interruptibly) until one is; the caller
 * takes no new work meanwhile.
 *
 * <p><b>Stops.</b> A producer fenced while its transaction is younger than the transaction timeout was fenced by
 * another producer under the same transactional id: two instances share {@code courier.transactional-id}, or this
 * one is a zombie. That is {@link TransactionalIdInUseException}, and the engine stops. (A transaction that outlived
 * its timeout, in an outage, is aborted by the broker, which fences it too: then a new producer carries on.)
 * Configuration
 * failures (authorization, an unsupported broker) are thrown as they are, and the engine stops. Any other
 * failure of the producer replaces it with a new one under the same id, which aborts what the old one left.
 *
 * <p>Threads: {@link #publish} from any thread but the intake thread while a step is pending; {@link #commit},
 * {@link #abandon}, {@link #own} and {@link #disown} from the intake thread only; {@link #close} from any
 * thread once the intake thread has stopped calling.
 */
public final class TransactionalPublisher implements OutcomePublisher {

    private static final Logger LOG = LoggerFactory.getLogger(TransactionalPublisher.class);

    /** What a call to {@link #commit} did. */
    public enum Commit {
        /** The transaction committed, with the offsets read from the committable supplier. */
        COMMITTED,
        /** There was neither an outcome nor an offset to commit. */
        NOTHING,
        /**
         * The broker did not answer in time: a commit (with the offsets read when it began), an abort or a new
         * producer is pending, and the next call tries it again. No transaction is open meanwhile.
         */
        PENDING
    }

    private final Supplier<Producer<byte[], byte[]>> producers;
    private final OutcomeRecords records;
    private final String transactionalId;
    private final Duration transactionTimeout;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Object opened = new Object();
    private final Map<TopicPartition, Long> owned = new ConcurrentHashMap<>();
    private final OutageLog outage = new OutageLog(LOG);
    /** The transaction sends go into; null while a step is pending. Set under {@link #opened}. */
    private volatile Transaction open;
    private volatile boolean closed;
    /** The thread that calls {@link #commit}; it must never wait for a transaction to open. */
    private volatile Thread intakeThread;
    /** What {@link #pending} does, for messages. */
    private volatile String pendingStep;
    /** Null while a new producer is still to be made. */
    private Producer<byte[], byte[]> producer;
    /** The step that must complete before a transaction is open again, or null. Intake thread. */
    private Step pending;

    private TransactionalPublisher(Supplier<Producer<byte[], byte[]>> producers, OutcomeRecords records,
            String transactionalId, Duration transactionTimeout) {
        this.producers = producers;
        this.records = records;
        this.transactionalId = transactionalId;
        this.transactionTimeout = transactionTimeout;
    }

    /**
     * Creates the transactional producer, initialises its transactions (which aborts a previous
     * instance's open transaction under the same transactional id) and begins the first transaction.
     *
     * @param producers       makes a producer with the transactional id; called again if the producer must be
     *                        replaced
     * @param transactionalId    the producers' transactional id, for messages
     * @param transactionTimeout the producers' {@code transaction.timeout.ms}
     * @throws KafkaException when the producer cannot start (the cluster does not answer within its
     *                        {@code max.block.ms}, or refuses it)
     */
    public static TransactionalPublisher start(Supplier<Producer<byte[], byte[]>> producers, OutcomeRecords records,
            String transactionalId, Duration transactionTimeout) {
        TransactionalPublisher publisher = new TransactionalPublisher(producers, records, transactionalId,
                transactionTimeout);
        publisher.producer = producers.get();
        try {
            publisher.producer.initTransactions();
            publisher.begin();
        } catch (KafkaException e) {
            publisher.producer.close(Duration.ZERO);
            throw e;
        }
        return publisher;
    }

    /**
     * {@inheritDoc} Covered once sent into the open transaction, visible when it commits; dropped when the
     * event's partition is not owned in the event's epoch, or the publisher is closed. While a commit, an abort
     * or a new producer is pending, waits until a transaction is open (interruptibly: an interrupt drops it).
     */
    @Override
    public void publish(Origin origin, String targetHost, Outcome outcome, Progress progress) {
        Transaction transaction;
        try {
            transaction = enter();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            progress.dropped();
            return;
        }
        if (transaction == null) {
            progress.dropped();
            return;
        }
        try {
            Long epoch = owned.get(partition(origin));
            if (epoch == null || epoch != origin.epoch()) {
                progress.dropped();
                return;
            }
            OutcomeRecords.Sized sized = records.of(origin, targetHost, outcome, this::partitions);
            producer.send(sized.record(), (metadata, error) -> {
                if (error != null) {
                    if (error instanceof RecordTooLargeException) {
                        records.refused(origin, sized.reduction()); // redone smaller after the abort
                    }
                    transaction.failed(error);
                }
            });
            transaction.sent(progress);
            progress.covered();
        } catch (SchemaRegistryException | KafkaException e) {
            transaction.failed(e); // the transaction aborts, and the event is redone
            progress.dropped();
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Waits until a transaction is open and returns it with the read lock held, or returns null (no lock held)
     * once the publisher is closed.
     *
     * @throws IllegalStateException when the thread that completes the pending step would wait for itself
     */
    private Transaction enter() throws InterruptedException {
        while (true) {
            lock.readLock().lockInterruptibly();
            Transaction transaction = open;
            if (transaction != null && !closed) {
                return transaction;
            }
            lock.readLock().unlock();
            if (closed) {
                return null;
            }
            if (Thread.currentThread() == intakeThread) {
                throw new IllegalStateException("the intake thread published while " + pendingStep + " is pending");
            }
            synchronized (opened) {
                while (open == null && !closed) {
                    opened.wait();
                }
            }
        }
    }

    /** Under the read lock. */
    private int partitions(String topic) {
        return producer.partitionsFor(topic).size();
    }

    /**
     * Commits the open transaction with the offsets {@code committable} gives and begins the next one; does
     * nothing when there is neither an outcome nor an offset to commit. The offsets are read once no send is
     * in progress, so they cover exactly the outcomes in the transaction. When a step is pending (see
     * {@link Commit#PENDING}) it tries that step again first; {@code committable} is read only when a new
     * commit begins. Blocks at most the producer's {@code max.block.ms} for each step it tries. Intake thread.
     *
     * @throws TransactionAbortedException   when the transaction failed and is aborted: redo from the committed
     *                                       offsets
     * @throws TransactionalIdInUseException another producer took the transactional id: stop
     * @throws KafkaException                a configuration failure (not authorized, unsupported): stop
     */
    public Commit commit(Supplier<Map<TopicPartition, OffsetAndMetadata>> committable, ConsumerGroupMetadata group)
            throws TransactionAbortedException {
        lock.writeLock().lock();
        try {
            intakeThread = Thread.currentThread();
            if (pending != null) {
                boolean wasCommit = pending instanceof Committing;
                throwIfAborted(advance());
                if (pending != null) {
                    return Commit.PENDING;
                }
                if (wasCommit) {
                    return Commit.COMMITTED;
                }
            }
            Transaction transaction = open;
            Map<TopicPartition, OffsetAndMetadata> offsets = committable.get();
            if (offsets.isEmpty() && !transaction.hasOutcomes()) {
                return Commit.NOTHING;
            }
            if (transaction.failure() != null) {
                throw abort(transaction, transaction.failure());
            }
            startStep(new Committing(transaction, Map.copyOf(offsets), group));
            throwIfAborted(advance());
            return pending == null ? Commit.COMMITTED : Commit.PENDING;
        } finally {
            lock.writeLock().unlock();
        }
    }

    private static void throwIfAborted(TransactionAbortedException aborted) throws TransactionAbortedException {
        if (aborted != null) {
            throw aborted;
        }
    }

    /** Whether a commit, an abort or a new producer is pending, so no transaction is open. Intake thread. */
    public boolean isPending() {
        return pending != null;
    }

    /**
     * Aborts the open transaction and disowns every partition, for partitions lost without a clean handover;
     * the caller redoes the work of those it keeps. A commit that is pending is left to complete: its offsets
     * were accepted while the partitions were still owned. Intake thread.
     */
    public void abandon() {
        lock.writeLock().lock();
        try {
            intakeThread = Thread.currentThread();
            owned.clear();
            if (pending == null) {
                abort(open, null);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** From now on, outcomes of events of these partitions taken in these epochs are sent. Intake thread. */
    public void own(Map<TopicPartition, Long> epochs) {
        lock.writeLock().lock();
        try {
            owned.putAll(epochs);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** From now on, outcomes of these partitions are dropped. Intake thread. */
    public void disown(Collection<TopicPartition> partitions) {
        lock.writeLock().lock();
        try {
            partitions.forEach(owned::remove);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Under the write lock: disowns every partition and aborts {@code transaction}, now or when it can. */
    private TransactionAbortedException abort(Transaction transaction, Exception cause) {
        owned.clear();
        LOG.warn("Transaction aborted{}; its events are redone from the committed offsets",
                cause == null ? "" : " (" + cause.getMessage() + ")");
        startStep(new Aborting(transaction));
        advance();
        return new TransactionAbortedException(cause);
    }

    /** Under the write lock: closes the open transaction to sends until {@code step} and those after it complete. */
    private void startStep(Step step) {
        open = null;
        pending = step;
        pendingStep = step.toString();
    }

    /**
     * Under the write lock: tries the pending step, and the steps its failures call for, until a transaction is
     * open or a step times out (it stays pending). A commit that fails is aborted.
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
            } catch (ProducerFencedException e) {
                if (!step.outlived(transactionTimeout)) {
                    throw new TransactionalIdInUseException(transactionalId, e);
                }
                // The coordinator aborted the transaction for its timeout (an outage outlasted it): not another
                // instance. A new producer under the same id carries on.
                LOG.warn("The transaction outlived kafka.transaction.timeout.ms ({} ms) and was aborted by the broker;"
                        + " starting a new producer", transactionTimeout.toMillis());
                if (step instanceof Committing committing && !committing.committed) {
                    owned.clear();
                    aborted = new TransactionAbortedException(e);
                }
                closeProducer(Duration.ZERO);
                startStep(new NewProducer());
            } catch (InvalidConfigurationException e) { // authorization, an unsupported broker
                throw e;
            } catch (KafkaException e) {
                if (step instanceof Committing committing && !committing.committed) {
                    owned.clear();
                    LOG.warn("Transaction aborted ({}); its events are redone from the committed offsets",
                            e.getMessage());
                    aborted = new TransactionAbortedException(e);
                    startStep(new Aborting(committing.transaction));
                } else {
                    LOG.warn("The transactional producer failed while {} ({}); starting a new one", step,
                            e.getMessage());
                    closeProducer(Duration.ZERO);
                    startStep(new NewProducer());
                }
            }
        }
        return aborted;
    }

    /** Opens the next transaction, and lets the sends waiting for it in. */
    private void begin() {
        producer.beginTransaction();
        synchronized (opened) {
            open = new Transaction();
            opened.notifyAll();
        }
    }

    /**
     * A step towards the next open transaction, run under the write lock on the intake thread. Each is run again
     * after a timeout, and resumes where it stopped.
     */
    private interface Step {
        void run();

        /** Whether the transaction this step completes outlived {@code timeout} with outcomes in it. */
        default boolean outlived(Duration timeout) {
            return false;
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
            this.offsets = offsets;
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
            }
            begin();
        }

        @Override
        public boolean outlived(Duration timeout) {
            return transaction.outlived(timeout);
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
        public boolean outlived(Duration timeout) {
            return transaction != null && transaction.outlived(timeout);
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
        public String toString() {
            return "aborting the transaction";
        }
    }

    /** A new producer under the same transactional id, whose initialisation aborts what the old one left open. */
    private final class NewProducer implements Step {

        @Override
        public void run() {
            if (producer == null) {
                producer = producers.get();
            }
            producer.initTransactions();
            begin();
        }

        @Override
        public String toString() {
            return "starting a new transactional producer";
        }
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

    private static TopicPartition partition(Origin origin) {
        return new TopicPartition(origin.source().topic(), origin.source().partition());
    }

    /**
     * Stops sending (outcomes published from now on are dropped), aborts an open transaction that has outcomes
     * (they were not committed) and closes the producer, waiting at most {@code timeout} for it. A pending step
     * is left to the broker: a pending commit completes or aborts there, and either way its offsets match its
     * outcomes. The abort may block up to the producer's {@code max.block.ms} more.
     */
    @Override
    public void close(Duration timeout) {
        synchronized (opened) {
            closed = true;
            opened.notifyAll();
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean locked = false;
        try {
            locked = lock.writeLock().tryLock(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            Transaction transaction = open;
            if (locked && pending == null && transaction != null && transaction.hasOutcomes()) {
                try {
                    producer.abortTransaction();
                } catch (KafkaException e) {
                    LOG.debug("Aborting the last transaction failed: {}", e.getMessage());
                }
            }
            closeProducer(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        } finally {
            if (locked) {
                lock.writeLock().unlock();
            }
        }
    }
}
