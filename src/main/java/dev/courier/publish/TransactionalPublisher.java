package dev.courier.publish;

import dev.courier.codec.SchemaRegistryException;
import dev.courier.model.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.ProducerFencedException;
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
 * caller redoes the events from the committed offsets, owning the partitions again in new epochs.
 *
 * <p>A fenced producer (its transaction timed out, or another producer took the transactional id) is
 * replaced and its work redone. Configuration failures (authorization, an unsupported broker) are thrown
 * as they are, and the engine stops.
 *
 * <p>Threads: {@link #publish} from any thread; {@link #commit}, {@link #abandon}, {@link #own} and
 * {@link #disown} from the intake thread only.
 */
public final class TransactionalPublisher implements OutcomePublisher {

    private static final Logger LOG = LoggerFactory.getLogger(TransactionalPublisher.class);

    private final Supplier<Producer<byte[], byte[]>> producers;
    private final OutcomeRecords records;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<TopicPartition, Long> owned = new ConcurrentHashMap<>();
    private final List<Progress> uncommitted = new ArrayList<>();
    private volatile boolean sentInTransaction;
    private volatile Exception failure;
    private Producer<byte[], byte[]> producer;

    private TransactionalPublisher(Supplier<Producer<byte[], byte[]>> producers, OutcomeRecords records) {
        this.producers = producers;
        this.records = records;
    }

    /**
     * Creates the transactional producer, initialises its transactions (which aborts a previous
     * instance's open transaction under the same transactional id) and begins the first transaction.
     *
     * @param producers makes a producer with the transactional id; called again if the producer must be replaced
     */
    public static TransactionalPublisher start(Supplier<Producer<byte[], byte[]>> producers, OutcomeRecords records) {
        TransactionalPublisher publisher = new TransactionalPublisher(producers, records);
        publisher.producer = producers.get();
        publisher.producer.initTransactions();
        publisher.producer.beginTransaction();
        return publisher;
    }

    /**
     * {@inheritDoc} Covered once sent into the open transaction, visible when it commits; dropped when the
     * event's partition is not owned in the event's epoch.
     */
    @Override
    public void publish(Origin origin, String targetHost, Outcome outcome, Progress progress) {
        ProducerRecord<byte[], byte[]> record;
        try {
            record = records.of(origin, targetHost, outcome, false);
        } catch (SchemaRegistryException e) {
            failure = e;
            progress.dropped();
            return;
        }
        lock.readLock().lock();
        try {
            Long epoch = owned.get(partition(origin));
            if (epoch == null || epoch != origin.epoch()) {
                progress.dropped();
                return;
            }
            producer.send(record, (metadata, error) -> {
                if (error != null && failure == null) {
                    failure = error;
                }
            });
            sentInTransaction = true;
            synchronized (uncommitted) {
                uncommitted.add(progress);
            }
            progress.covered();
        } catch (KafkaException e) {
            if (failure == null) {
                failure = e;
            }
            progress.dropped();
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Commits the open transaction with the offsets {@code committable} gives and begins the next one; does
     * nothing when there is neither an outcome nor an offset to commit. The offsets are read once no send is
     * in progress, so they cover exactly the outcomes in the transaction. Intake thread.
     *
     * @return the offsets committed
     * @throws TransactionAbortedException when the transaction failed and was aborted: redo from the committed offsets
     * @throws KafkaException              a configuration failure (not authorized, unsupported): stop
     */
    public Map<TopicPartition, OffsetAndMetadata> commit(Supplier<Map<TopicPartition, OffsetAndMetadata>> committable,
            ConsumerGroupMetadata group) throws TransactionAbortedException {
        lock.writeLock().lock();
        try {
            Map<TopicPartition, OffsetAndMetadata> offsets = committable.get();
            if (offsets.isEmpty() && !sentInTransaction) {
                return offsets;
            }
            if (failure != null) {
                throw abort(failure);
            }
            try {
                if (!offsets.isEmpty()) {
                    producer.sendOffsetsToTransaction(offsets, group);
                }
                producer.commitTransaction();
            } catch (InvalidConfigurationException e) {
                throw e;
            } catch (KafkaException e) {
                throw abort(e);
            }
            List<Progress> committed;
            synchronized (uncommitted) {
                committed = new ArrayList<>(uncommitted);
                uncommitted.clear();
            }
            sentInTransaction = false;
            producer.beginTransaction();
            committed.forEach(Progress::visible);
            return offsets;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Aborts the open transaction and disowns every partition, for partitions lost without a clean handover;
     * the caller redoes the work of those it keeps.
     */
    public void abandon() {
        lock.writeLock().lock();
        try {
            abort(null);
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

    /** Under the write lock: aborts, disowns every partition and begins a new transaction. */
    private TransactionAbortedException abort(Exception cause) {
        owned.clear();
        synchronized (uncommitted) {
            uncommitted.clear();
        }
        sentInTransaction = false;
        failure = null;
        try {
            producer.abortTransaction();
            producer.beginTransaction();
        } catch (InvalidConfigurationException e) {
            throw e;
        } catch (KafkaException e) {
            if (e instanceof ProducerFencedException) {
                LOG.warn("The producer was fenced: a transaction timed out, or another instance uses the same"
                        + " courier.transactional-id (give each instance its own); starting a new producer");
            } else {
                LOG.warn("Aborting the transaction failed ({}); starting a new producer", e.getMessage());
            }
            replaceProducer();
        }
        LOG.warn("Transaction aborted{}; its events are redone from the committed offsets",
                cause == null ? "" : " (" + cause.getMessage() + ")");
        return new TransactionAbortedException(cause);
    }

    /**
     * A new producer under the same transactional id; its initialisation aborts what the old one left open.
     * While the cluster does not answer it keeps trying, holding every send back.
     */
    private void replaceProducer() {
        try {
            producer.close(Duration.ZERO);
        } catch (KafkaException e) {
            LOG.debug("Closing the old producer failed: {}", e.getMessage());
        }
        while (true) {
            producer = producers.get();
            try {
                producer.initTransactions();
                producer.beginTransaction();
                return;
            } catch (InvalidConfigurationException e) {
                throw e;
            } catch (KafkaException e) {
                LOG.warn("Starting a new transactional producer failed ({}); trying again", e.getMessage());
                producer.close(Duration.ZERO);
            }
        }
    }

    private static TopicPartition partition(Origin origin) {
        return new TopicPartition(origin.source().topic(), origin.source().partition());
    }

    /** Aborts an open transaction that has outcomes (they were not committed) and closes the producer. */
    @Override
    public void close(Duration timeout) {
        lock.writeLock().lock();
        try {
            if (sentInTransaction) {
                try {
                    producer.abortTransaction();
                } catch (KafkaException e) {
                    LOG.debug("Aborting the last transaction failed: {}", e.getMessage());
                }
            }
            producer.close(timeout);
        } finally {
            lock.writeLock().unlock();
        }
    }
}
