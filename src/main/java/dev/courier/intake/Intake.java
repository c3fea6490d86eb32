package dev.courier.intake;

import dev.courier.codec.EventCodec;
import dev.courier.codec.SchemaRegistryException;
import dev.courier.config.DispatchSettings;
import dev.courier.config.Durations;
import dev.courier.dispatch.DispatchListener;
import dev.courier.dispatch.Dispatcher;
import dev.courier.model.RequestValidator;
import dev.courier.publish.OutcomePublisher;
import dev.courier.publish.Origin;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The intake loop: the one thread that owns the Kafka consumer. It polls, decodes and hands events
 * to the dispatcher (or straight to the publisher as dead letters), bounds the events in flight by
 * pausing its partitions while it keeps polling (so it stays in the group), and commits the offsets
 * below which every event has a published outcome.
 *
 * <p>On revocation it stops taking work from the revoked partitions, lets their events finish within
 * the drain timeout, commits and abandons the rest to the next owner. On {@link #stop()} it does the
 * same for all partitions, then leaves the group.
 *
 * <p>Thread confinement: {@link #run()} and the rebalance callbacks run on the intake thread;
 * {@link #stop()} and {@link #fail} may be called from any thread.
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
    private final DispatchSettings settings;
    private final EngineListener listener;
    private final OrderingKeys orderingKeys;
    private final int resumeBelow;

    private final ArrayDeque<ConsumerRecord<byte[], byte[]>> pending = new ArrayDeque<>();
    private boolean paused;
    private boolean closing;
    private long nextCommitNanos;
    private long registryRetryNanos;
    private Duration registryBackoff = FIRST_REGISTRY_RETRY;
    private volatile boolean stopRequested;
    private volatile Throwable failure;

    /**
     * Assembles the intake of the engine around its consumer. The intake owns {@code consumer} and the
     * dispatcher it makes, and closes both when {@link #run()} ends; the publisher stays the caller's.
     *
     * @param topic       the requests topic
     * @param validator   decides which decoded events can be dispatched
     * @param dispatchers makes the dispatcher, given the listener that routes its outcomes
     * @param listener    hears what the engine does
     */
    public static Intake create(Consumer<byte[], byte[]> consumer, String topic, EventCodec codec,
            RequestValidator validator, OutcomePublisher publisher,
            Function<DispatchListener<Origin>, Dispatcher<Origin>> dispatchers, DispatchSettings settings,
            EngineListener listener) {
        OffsetTracker tracker = new OffsetTracker();
        OutcomeRouter router = new OutcomeRouter(publisher, tracker, listener);
        return new Intake(consumer, topic, new RecordDecoder(codec, validator), dispatchers.apply(router), router,
                tracker, settings, listener);
    }

    Intake(Consumer<byte[], byte[]> consumer, String topic, RecordDecoder decoder, Dispatcher<Origin> dispatcher,
            OutcomeRouter router, OffsetTracker tracker, DispatchSettings settings, EngineListener listener) {
        this.consumer = consumer;
        this.topic = topic;
        this.decoder = decoder;
        this.dispatcher = dispatcher;
        this.router = router;
        this.tracker = tracker;
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
            consumer.subscribe(List.of(topic), new Rebalance());
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
            pending.add(record);
        }
        feed();
        flowControl();
        commitIfDue();
    }

    /** Hands pending records over while there is room in flight. */
    private void feed() {
        while (!pending.isEmpty() && router.inFlight() < settings.maxInFlight()
                && System.nanoTime() - registryRetryNanos >= 0) {
            ConsumerRecord<byte[], byte[]> record = pending.peek();
            Decoded decoded;
            try {
                decoded = decoder.decode(record);
            } catch (SchemaRegistryException e) {
                LOG.warn("Cannot decode {}-{}@{}: {}; trying again in {} s", record.topic(), record.partition(),
                        record.offset(), e.getMessage(), registryBackoff.toSeconds());
                registryRetryNanos = System.nanoTime() + registryBackoff.toNanos();
                registryBackoff = registryBackoff.multipliedBy(2).compareTo(MAX_REGISTRY_RETRY) > 0
                        ? MAX_REGISTRY_RETRY : registryBackoff.multipliedBy(2);
                return;
            }
            registryBackoff = FIRST_REGISTRY_RETRY;
            pending.poll();
            router.taken(decoded.origin());
            if (decoded instanceof Decoded.Dispatchable dispatchable) {
                dispatcher.submit(dispatchable.request(), orderingKeys.of(record), dispatchable.origin());
            } else {
                router.publish(decoded.origin(), null, ((Decoded.Rejected) decoded).failure());
            }
        }
    }

    /** Pauses every partition while work is waiting or the in-flight bound is reached; resumes below three quarters. */
    private void flowControl() {
        boolean mustPause = !pending.isEmpty() || router.inFlight() >= settings.maxInFlight() || stopRequested;
        if (!paused && mustPause) {
            consumer.pause(consumer.assignment());
            paused = true;
        } else if (paused && pending.isEmpty() && router.inFlight() < resumeBelow && !stopRequested) {
            consumer.resume(consumer.assignment());
            paused = false;
        }
    }

    private void commitIfDue() {
        if (System.nanoTime() - nextCommitNanos < 0) {
            return;
        }
        nextCommitNanos = System.nanoTime() + settings.commitInterval().toNanos();
        Map<TopicPartition, OffsetAndMetadata> offsets = tracker.committable();
        if (!offsets.isEmpty()) {
            consumer.commitAsync(offsets, (committed, error) -> {
                if (error == null) {
                    tracker.committed(committed);
                } else if (error instanceof RebalanceInProgressException || error instanceof RetriableException) {
                    LOG.debug("Committing offsets must wait; the next commit will include them: {}", error.getMessage());
                } else {
                    LOG.warn("Committing offsets failed; the next commit will include them: {}", error.getMessage());
                }
            });
        }
    }

    /**
     * After {@link #stop()}: no new work. Calls in progress get the drain timeout to finish and publish; events
     * not in a call are left, uncommitted, for the next owner.
     */
    private void drain() {
        pending.clear();
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
            commitSync(tracker.committable());
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

    private void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
        if (offsets.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(offsets, settings.drainTimeout().plusSeconds(5));
            tracker.committed(offsets);
        } catch (KafkaException e) {
            LOG.warn("Committing {} failed; those events may be redone: {}", offsets.keySet(), e.getMessage());
        }
    }

    /** Rebalance callbacks, on the intake thread inside {@code poll}. */
    private final class Rebalance implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
                LOG.info("Assigned {}", partitions);
                listener.onAssigned(partitions);
            }
            if (paused) {
                consumer.pause(partitions);
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            Set<TopicPartition> revoked = new HashSet<>(partitions);
            listener.onRevoked(revoked);
            pending.removeIf(record -> revoked.contains(new TopicPartition(record.topic(), record.partition())));
            if (!closing) {
                LOG.info("Revoked {}; letting their calls in progress finish", revoked);
                try {
                    dispatcher.drain(origin -> revoked.contains(OutcomeRouter.partition(origin)))
                            .get(settings.drainTimeout().toMillis() + 1000, java.util.concurrent.TimeUnit.MILLISECONDS);
                    if (!tracker.awaitSettled(revoked, settings.drainTimeout())) {
                        LOG.warn("Calls for {} did not finish within {}; the next owner will redo them", revoked,
                                Durations.format(settings.drainTimeout()));
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    LOG.warn("Draining {} failed: {}", revoked, e.toString());
                }
            }
            commitSync(tracker.committable(revoked));
            release(revoked);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            Set<TopicPartition> lost = new HashSet<>(partitions);
            LOG.warn("Lost {} without a clean handover; their events in flight will be redone by the next owner", lost);
            listener.onRevoked(lost);
            pending.removeIf(record -> lost.contains(new TopicPartition(record.topic(), record.partition())));
            release(lost);
        }

        private void release(Set<TopicPartition> partitions) {
            dispatcher.abandon(origin -> partitions.contains(OutcomeRouter.partition(origin)));
            tracker.forget(partitions);
        }
    }
}
