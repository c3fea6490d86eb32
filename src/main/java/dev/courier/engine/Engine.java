package dev.courier.engine;

import dev.courier.codec.EventCodec;
import dev.courier.codec.SchemaRegistryException;
import dev.courier.config.Settings;
import dev.courier.config.SettingsException;
import dev.courier.config.TopicSettings;
import dev.courier.dispatch.DispatchListener;
import dev.courier.dispatch.Dispatcher;
import dev.courier.dispatch.GroupShare;
import dev.courier.http.HostResolver;
import dev.courier.http.HttpCaller;
import dev.courier.http.OkHttpCaller;
import dev.courier.http.TokenListener;
import dev.courier.intake.EngineListener;
import dev.courier.intake.Intake;
import dev.courier.intake.IntakeFailedException;
import dev.courier.model.RequestValidator;
import dev.courier.ops.TokenMeters;
import dev.courier.publish.AdminClusterChecks;
import dev.courier.publish.AtLeastOncePublisher;
import dev.courier.publish.ClusterChecks;
import dev.courier.publish.Origin;
import dev.courier.publish.OutcomePublisher;
import dev.courier.publish.OutcomeRecords;
import dev.courier.publish.RetryStatuses;
import dev.courier.publish.StatusRecords;
import dev.courier.publish.TransactionalPublisher;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Courier's engine, assembled from the settings and running: the intake thread, the dispatcher with
 * its workers, the HTTP client and the outcome publisher. {@link #start} checks the settings, the cluster and
 * the registry first, so an unreachable broker or registry, or settings that cannot work together, are a clear
 * error, not a hang.
 *
 * <p>Ownership: the intake owns the consumer and the dispatcher, the dispatcher owns the HTTP client; the
 * engine owns the intake thread and the publisher.
 *
 * <p>Thread-safe. {@link #close()} stops taking work, lets calls in progress finish within the drain
 * timeout, commits and releases everything.
 */
public final class Engine implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);

    private final Intake intake;
    private final Thread intakeThread;
    private final OutcomePublisher publisher;
    /** Writes the statuses of events that wait for a retry; null when statuses are off. */
    private final RetryStatuses retryStatuses;
    /** How long closing the producer waits for what it still has to send. */
    static final Duration PUBLISHER_CLOSE_TIMEOUT = Duration.ofSeconds(2);

    private final Duration shutdownBound;
    private final AtomicReference<Throwable> failure;
    private final Dispatcher<Origin> dispatcher;
    private final KafkaMeters kafkaMeters;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile boolean stopping;

    private Engine(Intake intake, Thread intakeThread, OutcomePublisher publisher, RetryStatuses retryStatuses,
            Duration shutdownBound, AtomicReference<Throwable> failure, Dispatcher<Origin> dispatcher,
            KafkaMeters kafkaMeters) {
        this.intake = intake;
        this.intakeThread = intakeThread;
        this.publisher = publisher;
        this.retryStatuses = retryStatuses;
        this.shutdownBound = shutdownBound;
        this.failure = failure;
        this.dispatcher = dispatcher;
        this.kafkaMeters = kafkaMeters;
    }

    /**
     * Checks the settings, the topics and the registry, then starts the engine.
     *
     * @throws SettingsException      naming a combination of settings that cannot work
     * @throws EngineException when Kafka or the registry cannot be reached or a topic is missing
     */
    public static Engine start(Settings settings, EngineListener listener) {
        return start(settings, listener, HostResolver.SYSTEM);
    }

    /**
     * {@link #start(Settings, EngineListener)} with host names resolved by {@code resolver}: tests map their names
     * here, never to the real DNS.
     */
    static Engine start(Settings settings, EngineListener listener, HostResolver resolver) {
        return start(settings, listener, resolver, null);
    }

    /**
     * {@link #start(Settings, EngineListener, HostResolver)} with the Kafka clients' own metrics bound to
     * {@code meters} (Micrometer's Kafka binder), or none when it is null.
     */
    static Engine start(Settings settings, EngineListener listener, HostResolver resolver, MeterRegistry meters) {
        HttpCaller caller;
        try {
            caller = OkHttpCaller.builder(settings.http()).egress(settings.egress())
                    .targets(settings.targets().values()).resolver(resolver).clock(Clock.systemUTC())
                    .concurrency(settings.dispatch().workers())
                    .tokenListener(meters == null ? TokenListener.NONE : new TokenMeters(meters)).build();
        } catch (IllegalArgumentException e) {
            throw new EngineException(e.getMessage(), e);
        }
        return start(settings, listener, caller, meters);
    }

    /**
     * {@link #start(Settings, EngineListener)} with the HTTP caller of the caller's choosing, which it takes over: it
     * is closed with the engine, or at once when the engine cannot start.
     */
    static Engine start(Settings settings, EngineListener listener, HttpCaller caller) {
        return start(settings, listener, caller, null);
    }

    private static Engine start(Settings settings, EngineListener listener, HttpCaller caller, MeterRegistry meters) {
        KafkaMeters kafkaMeters = new KafkaMeters(meters);
        try {
            return assemble(settings, listener, caller, kafkaMeters);
        } catch (RuntimeException e) {
            kafkaMeters.close();
            caller.close();
            throw e;
        }
    }

    private static Engine assemble(Settings settings, EngineListener listener, HttpCaller caller,
            KafkaMeters kafkaMeters) {
        KafkaClients kafka = new KafkaClients(settings);
        RunChecks.verify(settings, kafka);
        TopicSettings topics = settings.topics();
        int maxRecordBytes = Math.min(kafka.maxRequestBytes(), checkTopics(kafka, settings));
        EventCodec codec = Registry.codec(settings);
        boolean statuses = settings.status().enabled();
        try {
            codec.prepareOutcomes(topics.results(), topics.deadLetters());
            if (statuses) {
                codec.prepareStatuses(topics.status());
            }
        } catch (SchemaRegistryException e) {
            throw new EngineException(e.getMessage(), e);
        }
        Clock clock = Clock.systemUTC();
        StatusRecords statusRecords = statuses ? new StatusRecords(codec, topics.status(), clock) : null;
        OutcomeRecords records = new OutcomeRecords(codec, topics.results(), topics.deadLetters(), clock,
                maxRecordBytes, statusRecords);
        RequestValidator validator = Validation.validator(settings);
        AtomicReference<Dispatcher<Origin>> dispatcherRef = new AtomicReference<>();
        AtomicReference<RetryStatuses> retryStatusesRef = new AtomicReference<>();
        Function<DispatchListener<Origin>, Dispatcher<Origin>> dispatchers = router -> {
            RetryStatuses retrying = retryStatusesRef.get();
            Dispatcher<Origin> dispatcher = Dispatcher.start(settings, caller,
                    retrying == null ? router : retrying.listening(router), clock);
            dispatcherRef.set(dispatcher);
            return dispatcher;
        };
        // the engine's consumer, made below; its metadata gives the requests topic's partition count
        AtomicReference<org.apache.kafka.clients.consumer.Consumer<byte[], byte[]>> consumerRef =
                new AtomicReference<>();
        GroupShare share = new GroupShare(() -> consumerRef.get().partitionsFor(topics.requests()).size(),
                newShare -> dispatcherRef.get().setShare(newShare));
        listener = EngineListener.all(listener, new GroupShareListener(share));
        AtomicReference<Intake> intakeRef = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        OutcomePublisher publisher;
        Intake intake;
        if (settings.delivery().exactlyOnce()) {
            String transactionalId = settings.delivery().transactionalId() != null
                    ? settings.delivery().transactionalId()
                    : "courier-" + settings.groupId() + "-" + UUID.randomUUID();
            // InitProducerId waits for the transaction coordinator: while the brokers are away (restarting as
            // Courier starts), ask again for as long as the start-up may wait for the cluster
            TransactionalPublisher transactional = StartRetry.untilTimeout(settings.connectTimeout(),
                    () -> TransactionalPublisher.start(() -> kafkaMeters.producer(
                            kafka.transactionalProducer("courier-outcomes", transactionalId)), records, transactionalId,
                            kafka.transactionTimeout(), clusterChecks(kafka, settings)),
                    timedOut -> new EngineException("Kafka at " + settings.kafka().bootstrapServers()
                            + " did not answer within " + settings.connectTimeout().toSeconds() + "s while the"
                            + " exactly-once producer " + transactionalId + " started; check kafka.bootstrap.servers"
                            + " and that the brokers are up", timedOut),
                    System::nanoTime);
            publisher = transactional;
            if (statuses) {
                retryStatusesRef.set(new RetryStatuses(statusRecords, transactional::publishStatus,
                        settings.retry().successStatuses()::contains, clock));
            }
            consumerRef.set(kafkaMeters.consumer(kafka.engineConsumer("courier-intake")));
            intake = Intake.exactlyOnce(consumerRef.get(), topics.requests(),
                    codec, validator, settings.keepRawValues(),
                    transactional, dispatchers, settings.dispatch(), listener);
        } else {
            AtLeastOncePublisher acking = new AtLeastOncePublisher(
                    kafkaMeters.producer(kafka.outcomeProducer("courier-outcomes")), records,
                    clusterChecks(kafka, settings), error -> intakeRef.get().fail(error));
            publisher = acking;
            if (statuses) {
                retryStatusesRef.set(new RetryStatuses(statusRecords, acking::publishStatus,
                        settings.retry().successStatuses()::contains, clock));
            }
            consumerRef.set(kafkaMeters.consumer(kafka.engineConsumer("courier-intake")));
            intake = Intake.atLeastOnce(consumerRef.get(), topics.requests(),
                    codec, validator, settings.keepRawValues(),
                    acking, dispatchers, settings.dispatch(), listener);
        }
        intakeRef.set(intake);
        Thread thread = new Thread(() -> {
            try {
                intake.run();
            } catch (IntakeFailedException e) {
                failure.set(e.getCause());
                LOG.error("Courier stopped: {}", e.getMessage(), e.getCause());
            } catch (Throwable e) {
                failure.set(e);
                LOG.error("Courier stopped unexpectedly", e);
            }
        }, "courier-intake");
        thread.start();
        ConnectionWarnings.noDeadline();
        LOG.info("Courier is processing {} into {} and {} as group {} with {} workers, at most {} events in flight,"
                + " {}, ordering {}, delivery {}", topics.requests(), topics.results(), topics.deadLetters(),
                settings.groupId(), settings.dispatch().workers(), settings.dispatch().maxInFlight(),
                settings.rate().global() > 0 ? "at most " + java.math.BigDecimal.valueOf(settings.rate().global()).stripTrailingZeros()
                        .toPlainString() + " attempts/s" : "no global rate limit",
                settings.dispatch().ordering().name().toLowerCase(Locale.ROOT),
                settings.delivery().guarantee().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        return new Engine(intake, thread, publisher, retryStatusesRef.get(), shutdownBound(settings), failure,
                dispatcherRef.get(), kafkaMeters);
    }

    /**
     * The longest a shutdown takes, from the stop request to the engine closed: the drain (or a blocking call the
     * intake thread was in, if that is longer), the final commit, stopping the dispatcher (its thread, then its
     * workers), leaving the group and closing the producer. The defaults make it 15 + 5 + 8 = 28 s.
     */
    static Duration shutdownBound(Settings settings) {
        Duration drain = settings.dispatch().drainTimeout();
        Duration commit = settings.dispatch().commitTimeout();
        return (drain.compareTo(commit) >= 0 ? drain : commit)
                .plus(commit)
                .plus(Dispatcher.STOP_WAIT.multipliedBy(2))
                .plus(Intake.CLOSE_TIMEOUT)
                .plus(PUBLISHER_CLOSE_TIMEOUT);
    }

    /**
     * What the publisher asks the cluster after a failure (is a topic gone, what the coordinator did with the
     * transactional id), each within the commit timeout; its admin client is made at the first question.
     */
    private static ClusterChecks clusterChecks(KafkaClients kafka, Settings settings) {
        return new AdminClusterChecks(() -> kafka.admin("courier-checks"), settings.dispatch().commitTimeout());
    }

    /**
     * Checks that Courier's topics exist (the status topic too while statuses are on), warns when the partition counts
     * of the requests and outcome topics differ, and returns the largest record all of the outcome topics accept.
     */
    private static int checkTopics(KafkaClients kafka, Settings settings) {
        TopicSettings topics = settings.topics();
        try (Admin admin = kafka.admin("courier-preflight")) {
            KafkaTopics cluster = new KafkaTopics(admin, settings);
            if (settings.status().enabled()) {
                cluster.requireStatusTopic();
            }
            Map<String, Integer> partitions = cluster
                    .partitions(List.of(topics.requests(), topics.results(), topics.deadLetters()));
            int requests = partitions.get(topics.requests());
            partitions.forEach((topic, count) -> {
                if (count != requests) {
                    LOG.warn("{} has {} partitions and {} has {}: outcomes keyed like their request will not share"
                            + " its partition number", topic, count, topics.requests(), requests);
                }
            });
            return cluster.maxMessageBytes(List.of(topics.results(), topics.deadLetters()));
        }
    }

    /** Asks the engine to stop taking work; returns at once. */
    void stop() {
        stopping = true;
        intake.stop();
    }

    /** Whether the engine was asked to stop, or stopped by itself. */
    boolean isStopping() {
        return stopping || !intakeThread.isAlive();
    }

    /** Whether the intake thread is running. */
    boolean intakeAlive() {
        return intakeThread.isAlive();
    }

    /** The engine's dispatcher, for its metrics and its liveness. */
    Dispatcher<Origin> dispatcher() {
        return dispatcher;
    }

    /** How long publishing has been failing, if it is. */
    OutcomePublisher.Stall publisherStall() {
        return publisher.stall();
    }

    /** Waits until the intake thread has finished, at most {@code timeout}; true when it has. */
    boolean awaitStopped(Duration timeout) throws InterruptedException {
        intakeThread.join(Math.max(1, timeout.toMillis()));
        return !intakeThread.isAlive();
    }

    /** Why the engine stopped by itself, or null. */
    Throwable failure() {
        return failure.get();
    }

    /**
     * Stops, drains within the drain timeout, commits and releases everything, within {@link #shutdownBound}.
     * Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        long closing = System.nanoTime();
        stop();
        try {
            if (!awaitStopped(shutdownBound.minus(PUBLISHER_CLOSE_TIMEOUT))) {
                LOG.warn("The intake thread did not stop in time; closing anyway");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (retryStatuses != null) {
                retryStatuses.close();
            }
            publisher.close(PUBLISHER_CLOSE_TIMEOUT);
            kafkaMeters.close();
            LOG.info("Stopped {} ms after the stop began", Duration.ofNanos(System.nanoTime() - closing).toMillis());
        }
    }
}
