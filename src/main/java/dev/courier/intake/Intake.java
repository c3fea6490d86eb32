package dev.courier.intake;

import dev.courier.codec.EventCodec;
import dev.courier.codec.SchemaRegistryException;
import dev.courier.config.DispatchSettings;
import dev.courier.config.Durations;
import dev.courier.dispatch.DispatchListener;
import dev.courier.dispatch.Dispatcher;
import dev.courier.model.RequestValidator;
import dev.courier.publish.AtLeastOncePublisher;
import dev.courier.publish.FatalPublishException;
import dev.courier.publish.Origin;
import dev.courier.publish.TransactionalPublisher;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The intake loop: the one thread that owns the Kafka consumer. Each step it hands polled records on (decoded,
 * to the dispatcher, or straight to the publisher as dead letters), lets {@link PartitionFlow} pause and resume
 * partitions, polls, and lets {@link CommitTimer} commit. {@link Ownership} deals with rebalances and with
 * redoing the work of an aborted transaction.
 *
 * <p>Intake never blocks longer than one registry lookup (within {@code courier.schema-registry.timeout}) or
 * one commit (within {@code courier.commit.timeout}) between commits, so an exactly-once transaction stays well
 * within its timeout. While a commit is pending (the broker does not answer) it takes no new work and keeps
 * polling, trying the commit again every interval.
 *
 * <p>On {@link #stop()} it stops taking work, lets calls in progress finish and publish within the drain timeout,
 * stops the dispatcher, commits, and leaves the group. The worst case is the drain timeout, one commit timeout,
 * and {@link #CLOSE_TIMEOUT} to leave the group; see docs/guarantees.md, Shutdown.
 *
 * <p>Thread confinement: {@link #run()} and the rebalance callbacks run on the intake thread; {@link #stop()}
 * and {@link #fail} may be called from any thread.
 */
public final class Intake implements Runnable {

    /** How long closing the consumer (leaving the group) may take. */
    public static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(2);
    private static final Logger LOG = LoggerFactory.getLogger(Intake.class);
    private static final Duration POLL_WHILE_FLOWING = Duration.ofMillis(100);
    private static final Duration POLL_WHILE_PAUSED = Duration.ofMillis(10);

    private final Consumer<byte[], byte[]> consumer;
    private final String topic;
    private final RecordDecoder decoder;
    private final Dispatcher<Origin> dispatcher;
    private final OutcomeRouter router;
    private final PartitionFlow flow;
    private final CommitTimer commits;
    private final Ownership ownership;
    private final OrderingKeys orderingKeys;
    private final RegistryRetry registry;
    private final DispatchSettings settings;
    private final LongSupplier nanoTime;
    private final EngineListener listener;
    private final LoopView view;
    private volatile boolean stopRequested;
    /** When {@link #stop()} was first called (nanoTime): the drain timeout counts from there. */
    private volatile long stopRequestedAt;
    private volatile Throwable failure;
    /** When the drain began (nanoTime); meaningful once {@link #stopping}. Intake thread. */
    private long stoppingSince;
    private boolean stopping;

    /**
     * The intake of an at-least-once engine. The intake owns {@code consumer} and the dispatcher it makes,
     * and closes both when {@link #run()} ends; the publisher stays the caller's.
     *
     * @param topic       the requests topic
     * @param validator   decides which decoded events can be dispatched
     * @param keepRawValues whether an undecodable record's value is kept whole in its dead letter
     *                    ({@code courier.dead-letters.keep-raw-value})
     * @param dispatchers makes the dispatcher, given the listener that routes its outcomes
     * @param listener    hears what the engine does
     */
    public static Intake atLeastOnce(Consumer<byte[], byte[]> consumer, String topic, EventCodec codec,
            RequestValidator validator, boolean keepRawValues, AtLeastOncePublisher publisher,
            Function<DispatchListener<Origin>, Dispatcher<Origin>> dispatchers, DispatchSettings settings,
            EngineListener listener) {
        return atLeastOnce(consumer, topic, codec, validator, keepRawValues, publisher, dispatchers, settings, listener,
                System::nanoTime);
    }

    /** {@link #atLeastOnce} with the intake's clock of the caller's choosing (nanoseconds, monotonic). */
    static Intake atLeastOnce(Consumer<byte[], byte[]> consumer, String topic, EventCodec codec,
            RequestValidator validator, boolean keepRawValues, AtLeastOncePublisher publisher,
            Function<DispatchListener<Origin>, Dispatcher<Origin>> dispatchers, DispatchSettings settings,
            EngineListener listener, LongSupplier nanoTime) {
        OffsetTracker tracker = new OffsetTracker();
        return new Intake(consumer, topic, new RecordDecoder(codec, validator, keepRawValues),
                new OutcomeRouter(publisher, tracker, listener),
                new ConsumerCommitter(consumer, tracker, settings.commitTimeout()), dispatchers, settings, listener,
                nanoTime);
    }

    /** The intake of an exactly-once engine: offsets commit in {@code publisher}'s transactions. */
    public static Intake exactlyOnce(Consumer<byte[], byte[]> consumer, String topic, EventCodec codec,
            RequestValidator validator, boolean keepRawValues, TransactionalPublisher publisher,
            Function<DispatchListener<Origin>, Dispatcher<Origin>> dispatchers, DispatchSettings settings,
            EngineListener listener) {
        OffsetTracker tracker = new OffsetTracker();
        return new Intake(consumer, topic, new RecordDecoder(codec, validator, keepRawValues),
                new OutcomeRouter(publisher, tracker, listener),
                new TransactionCommitter(consumer, publisher, tracker, System::nanoTime), dispatchers, settings,
                listener, System::nanoTime);
    }

    private Intake(Consumer<byte[], byte[]> consumer, String topic, RecordDecoder decoder, OutcomeRouter router,
            OffsetCommitter committer, Function<DispatchListener<Origin>, Dispatcher<Origin>> dispatchers,
            DispatchSettings settings, EngineListener listener, LongSupplier nanoTime) {
        this.consumer = consumer;
        this.topic = topic;
        this.decoder = decoder;
        this.router = router;
        this.settings = settings;
        this.nanoTime = nanoTime;
        this.listener = listener;
        this.dispatcher = dispatchers.apply(router);
        router.onFailure(this::fail);
        OffsetTracker tracker = router.tracker();
        this.flow = new PartitionFlow(consumer, tracker, settings.maxInFlight(), dispatcher::parked);
        this.ownership = new Ownership(consumer, tracker, committer,
                new PartitionWork(dispatcher, tracker, nanoTime, this::stopDrainOver),
                flow, listener, new Ownership.Timing(settings.drainTimeout(), settings.commitInterval()), nanoTime);
        this.commits = new CommitTimer(committer, settings.commitInterval(), nanoTime, ownership::aborted, listener);
        ownership.commitWith(commits);
        this.orderingKeys = new OrderingKeys(settings.ordering());
        this.registry = new RegistryRetry(nanoTime);
        this.view = new LoopView(consumer, tracker, commits);
    }

    /**
     * Runs until {@link #stop()} or a fatal failure, then drains, commits and closes the consumer.
     *
     * @throws IntakeFailedException when the loop ended because of a failure
     */
    @Override
    public void run() {
        try {
            consumer.subscribe(List.of(topic), ownership);
            while (!stopRequested && failure == null) {
                step();
            }
            drain();
        } catch (RuntimeException | Error e) {
            // a defect, or the cluster refused something for good: stop without committing; a stop that publishing
            // called for is the reason, also when the consumer wrapped it (it was thrown in a rebalance callback)
            FatalPublishException stop = FatalPublishException.in(e);
            fail(stop != null ? stop : e);
        } finally {
            close();
        }
        if (failure != null) {
            throw new IntakeFailedException(failure);
        }
    }

    /** Asks the loop to stop taking work, drain and leave the group. Returns at once; any thread. */
    public void stop() {
        if (!stopRequested) {
            stopRequestedAt = nanoTime.getAsLong();
            stopRequested = true;
        }
    }

    /**
     * Whether a drain must end now to keep the shutdown within its bound: a stop was requested, and the last commit
     * that still ends by the stop's drain deadline (the drain timeout after the stop request, or one commit timeout
     * when that is longer) must start. A drain of revoked partitions that a stop overtakes, or that a rebalance
     * starts during the shutdown drain, ends then too. Any thread.
     */
    private boolean stopDrainOver() {
        return stopRequested && nanoTime.getAsLong() - lastCommitStart(stopRequestedAt) >= 0;
    }

    /** When the last commit of a drain that began at {@code stoppingSince} must start (nanoTime). */
    private long lastCommitStart(long stoppingSince) {
        long drain = Math.max(settings.drainTimeout().toNanos(), settings.commitTimeout().toNanos());
        return stoppingSince + drain - settings.commitTimeout().toNanos();
    }

    /** Ends the loop because something it depends on failed (for example, publishing); any thread. */
    public void fail(Throwable cause) {
        if (failure == null) {
            failure = cause;
        }
    }

    /**
     * One turn of the loop. Each part that may block (a commit, a registry lookup, fetching committed offsets) is
     * bounded, and a stop request is heard before each, so the loop reaches its drain at most one blocking call
     * after {@link #stop()}.
     */
    private void step() {
        feed();
        flow.update(mustHold());
        if (stopRequested) {
            return;
        }
        flow.polled(consumer.poll(flow.isPaused() ? POLL_WHILE_PAUSED : POLL_WHILE_FLOWING));
        feed();
        flow.update(mustHold());
        if (!stopRequested) {
            ownership.retryRedo();
        }
        listener.onPolled(view);
    }

    /**
     * Hands records on, committing whenever the interval passes meanwhile, until a round takes none or intake must
     * hold: so each round ends with a commit when one is due, and the loop returns to polling.
     */
    private void feed() {
        int taken;
        do {
            taken = flow.feed(taker);
            if (!commits.isDue()) {
                return;
            }
            commits.commitIfDue();
        } while (taken > 0 && !mustHold());
    }

    /** Whether intake must take no new work: it is stopping, or a commit waits for the broker. */
    private boolean mustHold() {
        return stopRequested || commits.isPending();
    }

    private final PartitionFlow.Taker taker = new PartitionFlow.Taker() {

        @Override
        public boolean canTake() {
            return !mustHold() && !registry.isWaiting() && !commits.isDue() && failure == null;
        }

        @Override
        public PartitionFlow.Took take(ConsumerRecord<byte[], byte[]> record) {
            return Intake.this.take(record);
        }

        @Override
        public boolean hasRoomFor(String key) {
            return dispatcher.hasRoomFor(key);
        }
    };

    /**
     * Decodes the record and hands it on, or skips it when it was finished before.
     *
     * @return {@code STAY} when the record must stay where it is: the registry cannot be reached (intake tries again
     *         later), or the partition's fetch position moved back (the partition is read again from there);
     *         {@code HOLD} when its rate-limit key has no room in the dispatcher
     */
    private PartitionFlow.Took take(ConsumerRecord<byte[], byte[]> record) {
        TopicPartition partition = Backlog.partition(record);
        Decoded decoded;
        try {
            decoded = decoder.decode(record, ownership.epoch(partition));
        } catch (SchemaRegistryException e) {
            Duration wait = registry.failed();
            LOG.warn("Cannot decode {}-{}@{}: {}; trying again in {}", record.topic(), record.partition(),
                    record.offset(), e.getMessage(), Durations.format(wait));
            return PartitionFlow.Took.STAY;
        }
        registry.succeeded();
        if (decoded instanceof Decoded.Dispatchable dispatchable) {
            String key = dispatcher.limitKey(dispatchable.request());
            if (!dispatcher.hasRoomFor(key)) {
                return PartitionFlow.Took.hold(key);
            }
        }
        PartitionOffsets.Taken taken = router.taken(decoded.origin());
        if (taken == PartitionOffsets.Taken.FINISHED_BEFORE) {
            return PartitionFlow.Took.TAKEN;
        }
        if (taken == PartitionOffsets.Taken.BEHIND) {
            ownership.rewound(partition, record.offset());
            return PartitionFlow.Took.STAY;
        }
        if (decoded instanceof Decoded.Dispatchable dispatchable) {
            dispatcher.submit(dispatchable.request(), orderingKeys.of(record), dispatchable.origin());
        } else {
            router.publish(decoded.origin(), null, ((Decoded.Rejected) decoded).failure());
        }
        return PartitionFlow.Took.TAKEN;
    }

    /**
     * After {@link #stop()}: no new work. Calls in progress get the drain timeout, counted from the stop request
     * (so a blocking call the loop was in does not lengthen the shutdown), to finish and publish; events not in a
     * call are left, uncommitted, for the next owner. The drain ends once every event taken is settled (its
     * outcome covered, or abandoned); the final commit in {@link #close()} then commits what finished. Commits go
     * on meanwhile, so a long drain keeps its transaction young, but none starts within one commit timeout of the
     * drain's end.
     */
    private void drain() {
        stopping = true;
        stoppingSince = stopRequested ? stopRequestedAt : nanoTime.getAsLong();
        OffsetTracker tracker = router.tracker();
        long inFlight = tracker.unsettled();
        LOG.info("Stopping: {} events in flight get up to {} to finish", inFlight,
                Durations.format(settings.drainTimeout()));
        flow.clear();
        flow.update(true);
        dispatcher.drain();
        long deadline = stoppingSince + settings.drainTimeout().toNanos();
        long lastCommitStart = deadline - settings.commitTimeout().toNanos();
        while (tracker.unsettled() > 0 && failure == null && nanoTime.getAsLong() - deadline < 0) {
            consumer.poll(POLL_WHILE_PAUSED);
            if (nanoTime.getAsLong() - lastCommitStart < 0) {
                commits.commitIfDue();
            }
            listener.onPolled(view);
        }
        if (tracker.unsettled() > 0) {
            LOG.warn("{} events still in flight after the drain timeout of {}; they will be redone by the next owner",
                    tracker.unsettled(), Durations.format(settings.drainTimeout()));
        } else {
            LOG.info("Drained {} events in {} ms", inFlight, millisSince(stoppingSince));
        }
    }

    /**
     * Stops the dispatcher (no outcome comes after this), commits what is covered unless the loop failed, and
     * closes the consumer, which leaves the group.
     */
    private void close() {
        ownership.closing();
        try {
            dispatcher.close();
            if (failure == null) {
                if (commits.commitNow()) {
                    LOG.info("Committed what was finished");
                } else {
                    LOG.warn(commits.isPending() ? "The last commit is still pending; the broker settles it"
                            : "The last commit did not complete; the next owner redoes what it did not cover");
                }
            }
        } finally {
            try {
                consumer.close(CLOSE_TIMEOUT);
            } catch (KafkaException e) {
                LOG.warn("Closing the consumer failed: {}", e.getMessage());
            }
            if (stopping) {
                LOG.info("Left the group; intake stopped {} ms after the stop began", millisSince(stoppingSince));
            }
        }
    }

    private long millisSince(long nanos) {
        return Duration.ofNanos(nanoTime.getAsLong() - nanos).toMillis();
    }
}
