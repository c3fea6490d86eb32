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
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordTooLargeException;

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
 * <p>An outcome's status record ({@link OutcomeRecords} makes one when statuses are written) goes into the same
 * transaction as the outcome, so a {@code read_committed} reader sees both or neither; so does an event's
 * {@code retrying} status ({@link #publishStatus}).
 *
 * <p><b>Outages.</b> A commit, an abort or the start of a new producer that times out (the broker does not
 * answer within the producer's {@code max.block.ms}) stays pending: {@link #commit} returns
 * {@link Commit#PENDING} and the next call tries the same step again, for as long as the outage lasts. Each
 * call blocks at most {@code max.block.ms}, so the intake thread keeps polling and hears a shutdown. While a
 * step is pending no transaction is open, and {@link #publish} waits (interruptibly) until one is; the caller
 * takes no new work meanwhile. The steps themselves are {@link TransactionLifecycle}'s.
 *
 * <p><b>Stops.</b> Each stop is a {@link FatalPublishException}: the engine stops without committing (exit 1).
 * <ul>
 *   <li>A producer fenced by another one under the same transactional id (two instances share
 *       {@code courier.transactional-id}, or this one is a zombie): {@link TransactionalIdInUseException}.</li>
 *   <li>A send the cluster refuses for good ({@link SendFailures}: an outcome too large even in its minimal form, a
 *       topic deleted or not writable, an unsupported broker): {@link OutcomesRefusedException}, naming the topic,
 *       after the transaction is aborted. Redoing the event would fail the same way.</li>
 *   <li>The outcomes of one partition of the requests topic in {@link AbortStreaks#LIMIT} transactions in a row that
 *       aborted, whatever the cause: {@link RepeatedAbortsException}, rather than calling their targets again and
 *       again.</li>
 * </ul>
 * Any other failure of the producer replaces it with a new one under the same id, which aborts what the old one
 * left.
 *
 * <p>Threads: {@link #publish} from any thread but the intake thread while a step is pending; {@link #commit},
 * {@link #abandon}, {@link #own} and {@link #disown} from the intake thread only; {@link #close} from any
 * thread once the intake thread has stopped calling.
 */
public final class TransactionalPublisher implements OutcomePublisher {

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

    private final OutcomeRecords records;
    private final Duration transactionTimeout;
    private final ClusterChecks cluster;
    private final TransactionLifecycle transactions;
    /** Under the write lock. */
    private final AbortStreaks streaks = new AbortStreaks();
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    /** Sends wait on it while no transaction is open. */
    private final Object opened = new Object();
    private final Map<TopicPartition, Long> owned = new ConcurrentHashMap<>();
    private volatile boolean closed;
    /** The thread that calls {@link #commit}; it must never wait for a transaction to open. */
    private volatile Thread intakeThread;

    private TransactionalPublisher(Supplier<Producer<byte[], byte[]>> producers, OutcomeRecords records,
            String transactionalId, Duration transactionTimeout, ClusterChecks cluster) {
        this.records = records;
        this.transactionTimeout = transactionTimeout;
        this.cluster = cluster;
        this.transactions = new TransactionLifecycle(producers, transactionalId, transactionTimeout, cluster,
                new TransactionLifecycle.Listener() {
                    @Override
                    public void opened() {
                        synchronized (opened) {
                            opened.notifyAll();
                        }
                    }

                    @Override
                    public void aborted(Transaction transaction, Throwable cause) {
                        owned.clear();
                        // an outcome refused as too large is redone smaller (at most four times, then it is
                        // permanent): progress, not a loop
                        if (transaction != null && cause != null && !(cause instanceof RecordTooLargeException)) {
                            streaks.aborted(transaction.sources(), cause);
                        }
                    }

                    @Override
                    public void committed(Transaction transaction) {
                        streaks.committed(transaction.sources());
                    }
                });
    }

    /**
     * Creates the transactional producer, initialises its transactions (which aborts a previous
     * instance's open transaction under the same transactional id) and begins the first transaction.
     *
     * @param producers          makes a producer with the transactional id; called again if the producer must be
     *                           replaced
     * @param transactionalId    the producers' transactional id, for messages
     * @param transactionTimeout the producers' {@code transaction.timeout.ms}
     * @throws KafkaException when the producer cannot start (the cluster does not answer within its
     *                        {@code max.block.ms}, or refuses it)
     */
    public static TransactionalPublisher start(Supplier<Producer<byte[], byte[]>> producers, OutcomeRecords records,
            String transactionalId, Duration transactionTimeout) {
        return start(producers, records, transactionalId, transactionTimeout, ClusterChecks.NONE);
    }

    /**
     * {@link #start(Supplier, OutcomeRecords, String, Duration)} with the cluster asked whether a topic is gone after a
     * send times out, and what the coordinator did with the id after a fence; the publisher closes it.
     */
    public static TransactionalPublisher start(Supplier<Producer<byte[], byte[]>> producers, OutcomeRecords records,
            String transactionalId, Duration transactionTimeout, ClusterChecks cluster) {
        TransactionalPublisher publisher = new TransactionalPublisher(producers, records, transactionalId,
                transactionTimeout, cluster);
        publisher.transactions.start();
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
        String sending = records.topicOf(outcome); // the topic a send that fails at once was for
        try {
            Long epoch = owned.get(partition(origin));
            if (epoch == null || epoch != origin.epoch()) {
                progress.dropped();
                return;
            }
            Producer<byte[], byte[]> producer = transactions.producer();
            OutcomeRecords.Sized sized = records.of(origin, targetHost, outcome,
                    topic -> producer.partitionsFor(topic).size());
            String topic = sized.record().topic();
            producer.send(sized.record(), (metadata, error) -> {
                if (error != null) {
                    // a record too large is redone smaller after the abort, until there is no smaller form
                    boolean minimal = error instanceof RecordTooLargeException
                            && !records.refused(origin, sized.reduction());
                    transaction.failed(new Transaction.SendFailure(topic, error,
                            SendFailures.isPermanent(error, minimal)));
                }
            });
            if (sized.status() != null) {
                String statusTopic = sized.status().topic();
                sending = statusTopic;
                producer.send(sized.status(), (metadata, error) -> {
                    if (error != null) {
                        transaction.failed(new Transaction.SendFailure(statusTopic, error,
                                SendFailures.isPermanent(error, error instanceof RecordTooLargeException)));
                    }
                });
            }
            transaction.sent(progress, partition(origin));
            progress.covered();
        } catch (KafkaException e) {
            // the send failed at once (the topic is not in the producer's metadata within max.block.ms, say): the
            // transaction aborts at the next commit, even with nothing else in it, and the event is redone
            transaction.failed(new Transaction.SendFailure(sending, e, SendFailures.isPermanent(e, false)));
            progress.dropped();
        } catch (SchemaRegistryException e) {
            transaction.failed(new Transaction.SendFailure(null, e, false));
            progress.dropped();
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Sends a status record that goes with no outcome (an event's {@code retrying} status) into the open transaction,
     * if the event's partition is owned in the event's epoch; its transaction then commits even without an outcome.
     * Waits, as {@link #publish} does, while no transaction is open; nothing is sent once the publisher is closed. A
     * send that fails aborts the transaction, as an outcome's does. Any thread but the intake thread.
     */
    public void publishStatus(Origin origin, ProducerRecord<byte[], byte[]> record) throws InterruptedException {
        Transaction transaction = enter();
        if (transaction == null) {
            return;
        }
        try {
            Long epoch = owned.get(partition(origin));
            if (epoch == null || epoch != origin.epoch()) {
                return;
            }
            transactions.producer().send(record, (metadata, error) -> {
                if (error != null) {
                    transaction.failed(new Transaction.SendFailure(record.topic(), error,
                            SendFailures.isPermanent(error, error instanceof RecordTooLargeException)));
                }
            });
            transaction.sent(NO_PROGRESS, partition(origin));
        } catch (KafkaException e) {
            transaction.failed(new Transaction.SendFailure(record.topic(), e, SendFailures.isPermanent(e, false)));
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The progress of a record that belongs to no outcome: nothing waits for it. */
    private static final Progress NO_PROGRESS = new Progress() {
        @Override
        public void covered() {
        }

        @Override
        public void dropped() {
        }
    };

    /**
     * Waits until a transaction is open and returns it with the read lock held, or returns null (no lock held)
     * once the publisher is closed.
     *
     * @throws IllegalStateException when the thread that completes the pending step would wait for itself
     */
    private Transaction enter() throws InterruptedException {
        while (true) {
            lock.readLock().lockInterruptibly();
            Transaction transaction = transactions.open();
            if (transaction != null && !closed) {
                return transaction;
            }
            lock.readLock().unlock();
            if (closed) {
                return null;
            }
            if (Thread.currentThread() == intakeThread) {
                throw new IllegalStateException("the intake thread published while " + transactions.pendingStep()
                        + " is pending");
            }
            synchronized (opened) {
                while (transactions.open() == null && !closed) {
                    opened.wait();
                }
            }
        }
    }

    /**
     * Commits the open transaction with the offsets {@code committable} gives and begins the next one; does
     * nothing when there is neither an outcome nor an offset to commit. The offsets are read once no send is
     * in progress, so they cover exactly the outcomes in the transaction. When a step is pending (see
     * {@link Commit#PENDING}) it tries that step again first; {@code committable} is read only when a new
     * commit begins. Blocks at most the producer's {@code max.block.ms} for each step it tries. Intake thread.
     *
     * @throws TransactionAbortedException when the transaction failed and is aborted: redo from the committed
     *                                     offsets
     * @throws FatalPublishException       stop: another producer took the transactional id, the cluster refuses an
     *                                     outcome or the transaction for good, or a partition's outcomes aborted
     *                                     {@link AbortStreaks#LIMIT} times in a row
     */
    public Commit commit(Supplier<Map<TopicPartition, OffsetAndMetadata>> committable, ConsumerGroupMetadata group)
            throws TransactionAbortedException {
        lock.writeLock().lock();
        Transaction transaction = null;
        try {
            intakeThread = Thread.currentThread();
            if (transactions.isPending()) {
                // a pending commit that fails aborts its transaction, whose sends' failures say whether to stop
                transaction = transactions.pendingTransaction();
                Commit resumed = transactions.resume();
                if (resumed != Commit.NOTHING) {
                    return resumed;
                }
            }
            transaction = transactions.open();
            Map<TopicPartition, OffsetAndMetadata> offsets = committable.get();
            if (transaction.failure() != null) {
                // also with nothing to commit: a send that failed at once dropped its event, which only the redo
                // after the abort brings back
                throw transactions.abort(transaction, transaction.failure().error());
            }
            if (offsets.isEmpty() && !transaction.hasOutcomes()) {
                return Commit.NOTHING;
            }
            return transactions.commit(transaction, offsets, group);
        } catch (TransactionAbortedException e) {
            throw stopOr(e, transaction);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * The stop an aborted transaction calls for, or {@code aborted} itself: a send of {@code transaction} the cluster
     * refused for good (by its kind, or because the cluster says its topic is gone; the send's failure may also be
     * what made the commit fail, and is known once the abort is done), or a partition's streak of aborts at its limit.
     */
    private TransactionAbortedException stopOr(TransactionAbortedException aborted, Transaction transaction) {
        Transaction.SendFailure failure = transaction == null ? null : transaction.failure();
        // the cluster is asked whether the topic is gone only while it answers: an abort that is pending says it does
        // not, and the question would only hold the intake thread up
        if (failure != null && (failure.permanent() || (failure.topic() != null
                && SendFailures.mayMeanTopicGone(failure.error()) && !transactions.isPending()
                && cluster.topicGone(failure.topic())))) {
            throw new OutcomesRefusedException(failure.topic() == null ? "an outcome"
                    : "outcomes on topic " + failure.topic(), SendFailures.why(failure.error()), failure.error());
        }
        RepeatedAbortsException stop = streaks.stop();
        if (stop != null) {
            throw stop;
        }
        return aborted;
    }

    /** The producers' {@code transaction.timeout.ms}: past it, the broker aborts an open transaction. */
    public Duration transactionTimeout() {
        return transactionTimeout;
    }

    /** {@inheritDoc} Any thread. */
    @Override
    public Stall stall() {
        return transactions.stall();
    }

    /** Whether a commit, an abort or a new producer is pending, so no transaction is open. Intake thread. */
    public boolean isPending() {
        return transactions.isPending();
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
            if (!transactions.isPending()) {
                transactions.abort(transactions.open(), null);
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

    private static TopicPartition partition(Origin origin) {
        return new TopicPartition(origin.source().topic(), origin.source().partition());
    }

    /**
     * Stops sending (outcomes published from now on are dropped), aborts an open transaction that has outcomes
     * (they were not committed) and closes the producer, all within {@code timeout} (the abort may block up to the
     * producer's {@code max.block.ms} more). A pending step is left to the broker. Any thread, once the intake
     * thread has stopped calling.
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
            transactions.close(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())), locked);
        } finally {
            if (locked) {
                lock.writeLock().unlock();
            }
            cluster.close();
        }
    }
}
