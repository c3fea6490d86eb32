package dev.courier.intake;

import dev.courier.codec.EventCodec;
import dev.courier.codec.SchemaRegistryException;
import dev.courier.config.DispatchSettings;
import dev.courier.config.Durations;
import dev.courier.dispatch.DispatchListener;
import dev.courier.dispatch.Dispatcher;
import dev.courier.model.RequestValidator;
import dev.courier.publish.AtLeastOncePublisher;
import dev.courier.publish.Origin;
import dev.courier.publish.OutcomePublisher;
import dev.courier.publish.TransactionAbortedException;
import dev.courier.publish.TransactionalPublisher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The intake loop: the one thread that owns the Kafka consumer. It polls, decodes and hands events
 * to the dispatcher (or straight to the publisher as dead letters), bounds the events in flight by
 * pausing its partitions while it keeps polling (so it stays in the group), skips events the committed
 * metadata records as finished, keeps each partition's span within what that metadata can record, and
 * commits the offsets whose outcomes are covered: alone (at-least-once) or in the publisher's
 * transaction (exactly-once). When a transaction is aborted it redoes the uncommitted work from the
 * committed offsets.
 *
 * <p>On revocation it stops taking work from the revoked partitions, lets their calls in progress finish
 * within the drain timeout, commits and leaves the rest to the next owner. On {@link #stop()} it does the
 * same for all partitions, then leaves the group.
 *
 * <p>Thread confinement: {@link #run()} and the rebalance callbacks ({@link IntakeRebalance}) run on the
 * intake thread; {@link #stop()} and {@link #fail} may be called from any thread.
 */
public final class Intake implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(Intake.class);
    private static final Duration POLL_WHILE_FLOWING = Duration.ofMillis(100);
    private static final Duration POLL_WHILE_PAUSED = Duration.ofMillis(10);
    private static final Duration FIRST_REGISTRY_RETRY = Duration.ofSeconds(1);
    private static final Duration MAX_REGISTRY_RETRY = Duration.ofSeconds(30);

    private final Consumer<byte[], byte[]> consumer;
    private final String topic;
    private final RecordDecoder decoder;
    private final Dispatcher<Origin> dispatcher;
    private final OutcomeRouter router;
    private final OffsetTracker tracker;
    private final OffsetCommitter committer;
    private final DispatchSettings settings;
    private final EngineListener listener;
    private final OrderingKeys orderingKeys;
    private final int resumeBelow;

    private final Backlog backlog = new Backlog();
    private final Map<TopicPartition, Long> epochs = new HashMap<>();
    private final Map<TopicPartition, Long> startPositions = new HashMap<>();
    private long lastEpoch;
    private boolean paused;
    private boolean closing;
    private long nextCommitNanos;
    private long registryRetryNanos;
    private Duration registryBackoff = FIRST_REGISTRY_RETRY;
    private volatile boolean stopRequested;
    private volatile Throwable failure;

    /**
     * The intake of an at-least-once engine. The intake owns {@code consumer} and the dispatcher it makes,
     * and closes both when {@link #run()} ends; the publisher stays the caller's.
     *
     * @param topic       the requests topic
     * @param validator   decides which decoded events can be dispatched
     * @param dispatchers makes the dispatcher, given the listener that routes its outcomes
     * @param listener    hears what the engine does
     */
    public static Intake atLeastOnce(Consumer<byte[], byte[]> consumer, String topic, EventCodec codec,
            RequestValidator validator, AtLeastOncePublisher publisher,
            Function<DispatchListener<Origin>, Dispatcher<Origin>> dispatchers, DispatchSettings settings,
            EngineListener listener) {
        OffsetTracker tracker = new OffsetTracker();
        return new Intake(consumer, topic, codec, validator, publisher, dispatchers, settings, listener, tracker,
                new ConsumerCommitter(consumer, tracker, settings.drainTimeout().plusSeconds(5)));
    }

    /** The intake of an exactly-once engine: offsets commit in {@code publisher}'s transactions. */
    public static Intake exactlyOnce(Consumer<byte[], byte[]> consumer, String topic, EventCodec codec,
            RequestValidator validator, TransactionalPublisher publisher,
            Function<DispatchListener<Origin>, Dispatcher<Origin>> dispatchers, DispatchSettings settings,
            EngineListener listener) {
        OffsetTracker tracker = new OffsetTracker();
        return new Intake(consumer, topic, codec, validator, publisher, dispatchers, settings, listener, tracker,
                new TransactionCommitter(consumer, publisher, tracker));
    }

    private Intake(Consumer<byte[], byte[]> consumer, String topic, EventCodec codec, RequestValidator validator,
            OutcomePublisher publisher, Function<DispatchListener<Origin>, Dispatcher<Origin>> dispatchers,
            DispatchSettings settings, EngineListener listener, OffsetTracker tracker, OffsetCommitter committer) {
        this.consumer = consumer;
        this.topic = topic;
        this.decoder = new RecordDecoder(codec, validator);
        this.tracker = tracker;
        this.router = new OutcomeRouter(publisher, tracker, listener);
        this.dispatcher = dispatchers.apply(router);
        this.committer = committer;
        this.settings = settings;
        this.listener = listener;
        this.orderingKeys = new OrderingKeys(settings.ordering());
        this.resumeBelow = Math.max(1, settings.maxInFlight() - settings.maxInFlight() / 4);
        this.registryRetryNanos = System.nanoTime(); // nanoTime has an arbitrary origin: never compare it with 0
    }

    /**
     * Runs until {@link #stop()} or a fatal failure, then drains, commits and closes the consumer.
     *
     * @throws IntakeFailedException when the loop ended because of a failure
     */
    @Override
    public void run() {
        try {
            consumer.subscribe(List.of(topic), new IntakeRebalance(this));
            nextCommitNanos = System.nanoTime() + settings.commitInterval().toNanos();
            while (!stopRequested && failure == null) {
                step();
            }
            drain();
        } catch (KafkaException e) {
            fail(e);
        } finally {
            close();
        }
        if (failure != null) {
            throw new IntakeFailedException(failure);
        }
    }

    /** Asks the loop to stop taking work, drain and leave the group. Returns at once; any thread. */
    public void stop() {
        stopRequested = true;
    }

    /** Ends the loop because something it depends on failed (for example, publishing); any thread. */
    public void fail(Throwable cause) {
        if (failure == null) {
            failure = cause;
        }
    }

    private void step() {
        feed();
        flowControl();
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(paused ? POLL_WHILE_PAUSED : POLL_WHILE_FLOWING)) {
            backlog.add(record);
        }
        feed();
        flowControl();
        commitIfDue();
    }

    /**
     * Hands polled records over while there is room in flight: first those of partitions that were waiting
     * for their oldest event and have room again, then the rest in poll order, setting aside (and pausing)
     * a partition whose span is full.
     */
    private void feed() {
        for (TopicPartition partition : new ArrayList<>(backlog.heldPartitions())) {
            ConsumerRecord<byte[], byte[]> record = backlog.peekHeld(partition);
            while (record != null && hasRoom() && tracker.hasRoom(partition, record.offset())) {
                if (!take(record)) {
                    return;
                }
                backlog.pollHeld(partition);
                record = backlog.peekHeld(partition);
            }
            if (!backlog.isHeld(partition) && !paused) {
                consumer.resume(List.of(partition));
            }
        }
        while (backlog.hasPending() && hasRoom()) {
            ConsumerRecord<byte[], byte[]> record = backlog.peekPending();
            TopicPartition partition = Backlog.partition(record);
            if (backlog.isHeld(partition) || !tracker.hasRoom(partition, record.offset())) {
                backlog.holdFirst();
                consumer.pause(List.of(partition));
                continue;
            }
            if (!take(record)) {
                return;
            }
            backlog.pollPending();
        }
    }

    private boolean hasRoom() {
        return router.inFlight() < settings.maxInFlight() && System.nanoTime() - registryRetryNanos >= 0;
    }

    /**
     * Decodes the record and hands it on, or skips it when it was finished before.
     *
     * @return false when the registry cannot be reached: the record stays, and intake tries again later
     */
    private boolean take(ConsumerRecord<byte[], byte[]> record) {
        Decoded decoded;
        try {
            decoded = decoder.decode(record, epochs.getOrDefault(Backlog.partition(record), 0L));
        } catch (SchemaRegistryException e) {
            LOG.warn("Cannot decode {}-{}@{}: {}; trying again in {}", record.topic(), record.partition(),
                    record.offset(), e.getMessage(), Durations.format(registryBackoff));
            registryRetryNanos = System.nanoTime() + registryBackoff.toNanos();
            registryBackoff = registryBackoff.multipliedBy(2).compareTo(MAX_REGISTRY_RETRY) > 0
                    ? MAX_REGISTRY_RETRY : registryBackoff.multipliedBy(2);
            return false;
        }
        registryBackoff = FIRST_REGISTRY_RETRY;
        if (!router.taken(decoded.origin())) {
            return true;
        }
        if (decoded instanceof Decoded.Dispatchable dispatchable) {
            dispatcher.submit(dispatchable.request(), orderingKeys.of(record), dispatchable.origin());
        } else {
            router.publish(decoded.origin(), null, ((Decoded.Rejected) decoded).failure());
        }
        return true;
    }

    /** Pauses every partition while work is waiting or the in-flight bound is reached; resumes below three quarters. */
    private void flowControl() {
        boolean mustPause = backlog.hasPending() || router.inFlight() >= settings.maxInFlight() || stopRequested;
        if (!paused && mustPause) {
            consumer.pause(consumer.assignment());
            paused = true;
        } else if (paused && !backlog.hasPending() && router.inFlight() < resumeBelow && !stopRequested) {
            Set<TopicPartition> flowing = new HashSet<>(consumer.assignment());
            flowing.removeAll(backlog.heldPartitions());
            consumer.resume(flowing);
            paused = false;
        }
    }

    private void commitIfDue() {
        if (System.nanoTime() - nextCommitNanos < 0) {
            return;
        }
        nextCommitNanos = System.nanoTime() + settings.commitInterval().toNanos();
        try {
            committer.commit();
        } catch (TransactionAbortedException e) {
            redo(consumer.assignment());
        }
    }

    /**
     * After {@link #stop()}: no new work. Calls in progress get the drain timeout to finish and publish; events
     * not in a call are left, uncommitted, for the next owner.
     */
    private void drain() {
        backlog.clear();
        flowControl();
        dispatcher.drain();
        long deadline = System.nanoTime() + settings.drainTimeout().toNanos();
        while (router.inFlight() > 0 && failure == null && System.nanoTime() - deadline < 0) {
            consumer.poll(POLL_WHILE_PAUSED);
            commitIfDue();
        }
        if (router.inFlight() > 0) {
            LOG.warn("{} events still in flight after the drain timeout of {}; they will be redone by the next owner",
                    router.inFlight(), Durations.format(settings.drainTimeout()));
        }
    }

    private void close() {
        closing = true;
        try {
            if (failure == null) {
                commitNow();
            }
        } finally {
            try {
                consumer.close(Duration.ofSeconds(10));
            } catch (KafkaException e) {
                LOG.warn("Closing the consumer failed: {}", e.getMessage());
            } finally {
                dispatcher.close();
            }
        }
    }

    private void commitNow() {
        try {
            committer.commitNow();
        } catch (TransactionAbortedException e) {
            LOG.warn("The last transaction was aborted; its events will be redone by the next owner");
        }
    }

    /**
     * Throws away the uncommitted work of {@code partitions} and reads them again from their committed
     * offsets, in new ownership epochs: what an aborted transaction leaves to do.
     */
    private void redo(Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        Set<TopicPartition> redone = new HashSet<>(partitions);
        LOG.warn("Redoing the uncommitted work of {} from the committed offsets", redone);
        abandonInDispatcher(redone);
        backlog.forget(redone);
        if (!paused) {
            consumer.resume(redone); // one may have been paused alone, waiting for its oldest event
        }
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(redone);
        own(redone, committed);
        for (TopicPartition partition : redone) {
            OffsetAndMetadata offset = committed.get(partition);
            consumer.seek(partition, offset != null ? offset.offset() : startPositions.get(partition));
        }
    }

    /** Tracks {@code partitions} afresh from {@code committed}, each in a new ownership epoch. */
    private void own(Set<TopicPartition> partitions, Map<TopicPartition, OffsetAndMetadata> committed) {
        Map<TopicPartition, Long> owned = new HashMap<>();
        for (TopicPartition partition : partitions) {
            long epoch = ++lastEpoch;
            epochs.put(partition, epoch);
            owned.put(partition, epoch);
            tracker.assigned(partition, committed.get(partition), epoch);
        }
        committer.assigned(owned);
    }

    private void abandonInDispatcher(Set<TopicPartition> partitions) {
        try {
            dispatcher.abandon(origin -> partitions.contains(OutcomeRouter.partition(origin)))
                    .get(settings.drainTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("Abandoning the events of {} failed: {}", partitions, e.toString());
        }
    }

    // Rebalance, called by IntakeRebalance on the intake thread, inside poll.

    void assigned(Collection<TopicPartition> partitions) {
        Set<TopicPartition> assigned = new HashSet<>(partitions);
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(assigned);
        for (TopicPartition partition : assigned) {
            OffsetAndMetadata offset = committed.get(partition);
            startPositions.put(partition, offset != null ? offset.offset() : consumer.position(partition));
        }
        own(assigned, committed);
        LOG.info("Assigned {}", assigned);
        listener.onAssigned(assigned);
        if (paused) {
            consumer.pause(assigned);
        }
    }

    void revoked(Collection<TopicPartition> partitions) {
        Set<TopicPartition> revoked = new HashSet<>(partitions);
        listener.onRevoked(revoked);
        backlog.forget(revoked);
        if (!closing) {
            LOG.info("Revoked {}; letting their calls in progress finish", revoked);
            drainCalls(revoked);
        }
        // Disowned before the commit: an outcome that comes later must not reach the next transaction,
        // which would commit it after the next owner has taken the event over.
        committer.released(revoked);
        try {
            committer.commitNow();
        } catch (TransactionAbortedException e) {
            Set<TopicPartition> kept = new HashSet<>(consumer.assignment());
            kept.removeAll(revoked);
            redo(kept);
        }
        release(revoked);
    }

    void lost(Collection<TopicPartition> partitions) {
        Set<TopicPartition> lost = new HashSet<>(partitions);
        LOG.warn("Lost {} without a clean handover; their events in flight will be redone by the next owner", lost);
        listener.onRevoked(lost);
        backlog.forget(lost);
        boolean redoKept = committer.lost(lost);
        release(lost);
        if (redoKept) {
            Set<TopicPartition> kept = new HashSet<>(consumer.assignment());
            kept.removeAll(lost);
            redo(kept);
        }
    }

    private void drainCalls(Set<TopicPartition> partitions) {
        try {
            dispatcher.drain(origin -> partitions.contains(OutcomeRouter.partition(origin)))
                    .get(settings.drainTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
            if (!tracker.awaitSettled(partitions, settings.drainTimeout())) {
                LOG.warn("Calls for {} did not finish within {}; the next owner will redo them", partitions,
                        Durations.format(settings.drainTimeout()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("Draining {} failed: {}", partitions, e.toString());
        }
    }

    private void release(Set<TopicPartition> partitions) {
        committer.released(partitions);
        abandonInDispatcher(partitions);
        tracker.forget(partitions);
        partitions.forEach(epochs::remove);
        partitions.forEach(startPositions::remove);
    }
}
