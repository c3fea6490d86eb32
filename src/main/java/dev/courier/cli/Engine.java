package dev.courier.cli;

import dev.courier.codec.EventCodec;
import dev.courier.codec.SchemaRegistryException;
import dev.courier.config.Settings;
import dev.courier.config.TopicSettings;
import dev.courier.dispatch.Dispatcher;
import dev.courier.http.HostResolver;
import dev.courier.http.HttpCaller;
import dev.courier.http.OkHttpCaller;
import dev.courier.intake.EngineListener;
import dev.courier.intake.Intake;
import dev.courier.intake.IntakeFailedException;
import dev.courier.model.RequestValidator;
import dev.courier.dispatch.DispatchListener;
import dev.courier.publish.AtLeastOncePublisher;
import dev.courier.publish.Origin;
import dev.courier.publish.OutcomePublisher;
import dev.courier.publish.OutcomeRecords;
import dev.courier.publish.TransactionalPublisher;
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
 * its workers, the HTTP client and the outcome publisher. {@link #start} checks the cluster and the
 * registry first, so an unreachable broker or registry is a clear error, not a hang.
 *
 * <p>Ownership: the intake owns the consumer and the dispatcher, the dispatcher owns the HTTP client; the
 * engine owns the intake thread and the publisher.
 *
 * <p>Thread-safe. {@link #close()} stops taking work, lets calls in progress finish within the drain
 * timeout, commits and releases everything.
 */
final class Engine implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);

    private final Intake intake;
    private final Thread intakeThread;
    private final OutcomePublisher publisher;
    private final Duration drainTimeout;
    private final AtomicReference<Throwable> failure;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private Engine(Intake intake, Thread intakeThread, OutcomePublisher publisher, Duration drainTimeout,
            AtomicReference<Throwable> failure) {
        this.intake = intake;
        this.intakeThread = intakeThread;
        this.publisher = publisher;
        this.drainTimeout = drainTimeout;
        this.failure = failure;
    }

    /**
     * Checks the topics and the registry, then starts the engine.
     *
     * @throws CommandFailedException when Kafka or the registry cannot be reached or a topic is missing
     */
    static Engine start(Settings settings, EngineListener listener) {
        return start(settings, listener, HostResolver.SYSTEM);
    }

    /**
     * {@link #start(Settings, EngineListener)} with host names resolved by {@code resolver}: tests map their names
     * here, never to the real DNS.
     */
    static Engine start(Settings settings, EngineListener listener, HostResolver resolver) {
        KafkaClients kafka = new KafkaClients(settings);
        TopicSettings topics = settings.topics();
        checkTopics(kafka, settings);
        EventCodec codec = Registry.codec(settings);
        try {
            codec.prepareOutcomes(topics.results(), topics.deadLetters());
        } catch (SchemaRegistryException e) {
            throw new CommandFailedException(e.getMessage(), e);
        }
        Clock clock = Clock.systemUTC();
        HttpCaller caller;
        try {
            caller = OkHttpCaller.builder(settings.http()).egress(settings.egress())
                    .targets(settings.targets().values()).resolver(resolver).clock(clock)
                    .concurrency(settings.dispatch().workers()).build();
        } catch (IllegalArgumentException e) {
            throw new CommandFailedException(e.getMessage(), e);
        }
        OutcomeRecords records = new OutcomeRecords(codec, topics.results(), topics.deadLetters(), clock,
                kafka.maxOutcomeValueBytes());
        RequestValidator validator = Validation.validator(settings);
        Function<DispatchListener<Origin>, Dispatcher<Origin>> dispatchers =
                router -> Dispatcher.start(settings, caller, router, clock);
        AtomicReference<Intake> intakeRef = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        OutcomePublisher publisher;
        Intake intake;
        if (settings.delivery().exactlyOnce()) {
            String transactionalId = settings.delivery().transactionalId() != null
                    ? settings.delivery().transactionalId()
                    : "courier-" + settings.groupId() + "-" + UUID.randomUUID();
            TransactionalPublisher transactional = TransactionalPublisher.start(
                    () -> kafka.transactionalProducer("courier-outcomes", transactionalId), records);
            publisher = transactional;
            intake = Intake.exactlyOnce(kafka.engineConsumer("courier-intake"), topics.requests(), codec, validator,
                    transactional, dispatchers, settings.dispatch(), listener);
        } else {
            AtLeastOncePublisher acking = new AtLeastOncePublisher(kafka.outcomeProducer("courier-outcomes"), records,
                    error -> intakeRef.get().fail(error));
            publisher = acking;
            intake = Intake.atLeastOnce(kafka.engineConsumer("courier-intake"), topics.requests(), codec, validator,
                    acking, dispatchers, settings.dispatch(), listener);
        }
        intakeRef.set(intake);
        Thread thread = new Thread(() -> {
            try {
                intake.run();
            } catch (IntakeFailedException e) {
                failure.set(e.getCause());
                LOG.error("Courier stopped: {}", e.getMessage(), e.getCause());
            } catch (RuntimeException e) {
                failure.set(e);
                LOG.error("Courier stopped unexpectedly", e);
            }
        }, "courier-intake");
        thread.start();
        LOG.info("Courier is processing {} as group {} with {} workers, at most {} events in flight, ordering {},"
                + " delivery {}", topics.requests(), settings.groupId(), settings.dispatch().workers(),
                settings.dispatch().maxInFlight(), settings.dispatch().ordering().name().toLowerCase(Locale.ROOT),
                settings.delivery().guarantee().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        return new Engine(intake, thread, publisher, settings.dispatch().drainTimeout(), failure);
    }

    private static void checkTopics(KafkaClients kafka, Settings settings) {
        TopicSettings topics = settings.topics();
        try (Admin admin = kafka.admin("courier-preflight")) {
            Map<String, Integer> partitions = new KafkaTopics(admin, settings)
                    .partitions(List.of(topics.requests(), topics.results(), topics.deadLetters()));
            int requests = partitions.get(topics.requests());
            partitions.forEach((topic, count) -> {
                if (count != requests) {
                    LOG.warn("{} has {} partitions and {} has {}: outcomes keyed like their request will not share"
                            + " its partition number", topic, count, topics.requests(), requests);
                }
            });
        }
    }

    /** Asks the engine to stop taking work; returns at once. */
    void stop() {
        intake.stop();
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

    /** Stops, drains within the drain timeout, commits and releases everything. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        stop();
        try {
            if (!awaitStopped(drainTimeout.plusSeconds(30))) {
                LOG.warn("The intake thread did not stop in time; closing anyway");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            publisher.close();
        }
    }
}
