package dev.courier.engine;

import dev.courier.codec.EventCodec;
import dev.courier.codec.SchemaRegistryException;
import dev.courier.config.Settings;
import dev.courier.config.TopicSettings;
import dev.courier.dispatch.DispatchListener;
import dev.courier.dispatch.Dispatcher;
import dev.courier.dispatch.GroupShare;
import dev.courier.http.HttpCaller;
import dev.courier.intake.EngineListener;
import dev.courier.intake.Intake;
import dev.courier.intake.IntakeFailedException;
import dev.courier.model.RequestValidator;
import dev.courier.publish.AdminClusterChecks;
import dev.courier.publish.AtLeastOncePublisher;
import dev.courier.publish.ClusterChecks;
import dev.courier.publish.Origin;
import dev.courier.publish.OutcomePublisher;
import dev.courier.publish.OutcomeRecords;
import dev.courier.publish.RetryStatuses;
import dev.courier.publish.StatusRecords;
import dev.courier.publish.TransactionalPublisher;
import java.time.Clock;
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
 * Puts the engine together from the settings, in this order: the settings checked against
 * each other ({@link RunChecks}), the topics asked for (and the largest record they take), the codec's schemas, then
 * the publisher of the delivery guarantee, the consumer, the dispatcher (made by intake, with the group's rate share
 * and the statuses of retries listening), and last the intake thread. When it fails, {@link Engine#start} closes the
 * HTTP caller and the Kafka meters it handed in. Its log lines carry the engine's logger name, as the engine's own
 * do. Stateless.
 */
final class Assembly {

    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);

    private Assembly() {
    }

    /** @param caller the HTTP caller, taken over by the dispatcher */
    static Engine assemble(Settings settings, EngineListener listener, HttpCaller caller,
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
        return new Engine(intake, thread, publisher, retryStatusesRef.get(), Engine.shutdownBound(settings), failure,
                dispatcherRef.get(), kafkaMeters);
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
}
