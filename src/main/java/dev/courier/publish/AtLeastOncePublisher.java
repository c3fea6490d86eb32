package dev.courier.publish;

import dev.courier.codec.SchemaRegistryException;
import dev.courier.model.Backoff;
import dev.courier.model.Outcome;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The at-least-once {@link OutcomePublisher}: each outcome is sent by an idempotent producer with
 * {@code acks=all} and is covered (its offset may be committed) and visible once the broker acknowledges it.
 *
 * <p>An outcome is never dropped. A send that fails in a retriable way (the broker unreachable past
 * the producer's delivery timeout, the registry briefly down) is sent again after a pause, for as long
 * as it takes; but when it timed out or found no topic, the cluster is asked first whether the topic is gone
 * ({@link ClusterChecks#topicGone}), which is permanent. An outcome is sized before it is sent
 * ({@link OutcomeRecords}); one the broker still refuses as too large is sent again in a smaller form, down to a
 * minimal one. A permanent failure ({@link SendFailures}, as in exactly-once mode: too large even in the minimal
 * form, a topic gone or not writable) and any other failure of the producer are fatal: {@code onFatal} hears it once
 * (an {@link OutcomesRefusedException} naming the topic, for a permanent one) and the engine stops without
 * committing, so the event is redone after a restart.
 *
 * <p>When {@link OutcomeRecords} makes status records, an outcome's status goes out beside it, with its first send,
 * and the event is covered only once the broker has acknowledged both: an outcome and its status are published
 * together or redone together. A status is sent again on its own, as an outcome is, until it is acknowledged; a
 * status the cluster refuses for good stops the engine as an outcome does.
 *
 * <p>Thread-safe. {@code onPublished} callbacks run on the producer's I/O thread and must be quick.
 */
public final class AtLeastOncePublisher implements OutcomePublisher {

    private static final Logger LOG = LoggerFactory.getLogger(AtLeastOncePublisher.class);
    private static final Backoff RESENDS = Backoff.withoutJitter(Duration.ofMillis(100), Duration.ofSeconds(5));

    private final Producer<byte[], byte[]> producer;
    private final OutcomeRecords records;
    private final ClusterChecks cluster;
    private final Consumer<Throwable> onFatal;
    private final AtomicBoolean failed = new AtomicBoolean();
    private final OutageLog outage = new OutageLog(LOG);
    private final ScheduledExecutorService resends = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "courier-publish-resend");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * @param producer an idempotent producer of raw bytes; the publisher owns it and closes it
     * @param onFatal  hears the first failure that resending cannot cure
     */
    public AtLeastOncePublisher(Producer<byte[], byte[]> producer, OutcomeRecords records, Consumer<Throwable> onFatal) {
        this(producer, records, ClusterChecks.NONE, onFatal);
    }

    /**
     * @param producer an idempotent producer of raw bytes; the publisher owns it and closes it
     * @param cluster  asked whether a topic is gone when a send timed out or found no topic; the publisher closes it
     * @param onFatal  hears the first failure that resending cannot cure
     */
    public AtLeastOncePublisher(Producer<byte[], byte[]> producer, OutcomeRecords records, ClusterChecks cluster,
            Consumer<Throwable> onFatal) {
        this.producer = producer;
        this.records = records;
        this.cluster = cluster;
        this.onFatal = onFatal;
    }

    /**
     * {@inheritDoc} Covered and visible together, once the broker has acknowledged the outcome (and its status, when
     * statuses are written).
     */
    @Override
    public void publish(Origin origin, String targetHost, Outcome outcome, Progress progress) {
        send(new Delivery(origin, targetHost, outcome, progress, 0, true, null, null));
    }

    /**
     * One outcome on its way, with what resending it needs: how often it was sent again, whether its status record is
     * still to be sent (with the next send that gets as far as a record), and the topic and the failure of the last
     * send (null before one failed).
     */
    private record Delivery(Origin origin, String targetHost, Outcome outcome, Progress progress, int resends,
            boolean statusDue, String topic, Exception lastError) {

        Delivery again(String failedTopic, Exception error) {
            return new Delivery(origin, targetHost, outcome, progress, resends + 1, statusDue, failedTopic, error);
        }
    }

    /** One status record on its way, sent again on its own until it is acknowledged. */
    private record StatusDelivery(Origin origin, ProducerRecord<byte[], byte[]> record, Progress progress,
            int resends) {

        StatusDelivery again() {
            return new StatusDelivery(origin, record, progress, resends + 1);
        }
    }

    private void send(Delivery delivery) {
        if (delivery.topic() != null && SendFailures.mayMeanTopicGone(delivery.lastError())
                && cluster.topicGone(delivery.topic())) {
            fatal(delivery.origin(), "outcome", new OutcomesRefusedException("outcomes on topic " + delivery.topic(),
                    SendFailures.why(delivery.lastError()), delivery.lastError()));
            return;
        }
        OutcomeRecords.Sized sized;
        try {
            sized = records.of(delivery.origin(), delivery.targetHost(), delivery.outcome(), this::partitions);
        } catch (SchemaRegistryException | RetriableException e) { // the registry, or the producer's metadata
            resendLater(delivery, null, e);
            return;
        }
        StatusDelivery status = null;
        if (delivery.statusDue() && sized.status() != null) {
            JointProgress joint = new JointProgress(delivery.progress());
            status = new StatusDelivery(delivery.origin(), sized.status(), joint.part(), 0);
            delivery = new Delivery(delivery.origin(), delivery.targetHost(), delivery.outcome(), joint.part(),
                    delivery.resends(), false, delivery.topic(), delivery.lastError());
        }
        send(delivery, sized);
        if (status != null) {
            sendStatus(status);
        }
    }

    private void send(Delivery delivery, OutcomeRecords.Sized sized) {
        try {
            producer.send(sized.record(), (metadata, error) -> {
                if (error == null) {
                    outage.over();
                    delivery.progress().covered();
                    delivery.progress().visible();
                } else {
                    failed(delivery, sized, error);
                }
            });
        } catch (KafkaException e) {
            failed(delivery, sized, e);
        }
    }

    private void sendStatus(StatusDelivery status) {
        try {
            producer.send(status.record(), (metadata, error) -> {
                if (error == null) {
                    outage.over();
                    status.progress().covered();
                    status.progress().visible();
                } else {
                    statusFailed(status, error);
                }
            });
        } catch (KafkaException e) {
            statusFailed(status, e);
        }
    }

    private void statusFailed(StatusDelivery status, Exception error) {
        if (error instanceof InterruptException) {
            LOG.debug("Publishing the status of {} was interrupted", status.origin().source());
            status.progress().dropped();
        } else if (SendFailures.isPermanent(error, error instanceof RecordTooLargeException)) {
            fatal(status.origin(), "status", new OutcomesRefusedException("statuses on topic "
                    + status.record().topic(), SendFailures.why(error), error));
        } else if (error instanceof RetriableException) {
            Duration delay = RESENDS.next(status.resends() + 1);
            outage.pending("Publishing statuses", error);
            LOG.debug("Publishing the status of {} failed ({}); trying again in {} ms", status.origin().source(),
                    error.getMessage(), delay.toMillis());
            try {
                resends.schedule(() -> sendStatus(status.again()), delay.toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                LOG.debug("Publisher closed; the status of {} is left for the next owner", status.origin().source());
            }
        } else {
            fatal(status.origin(), "status", error);
        }
    }

    /**
     * Sends a status record that no commit waits for (an event's {@code retrying} status) once; a failure is only
     * logged, since the event's outcome brings a status of its own. Any thread; blocks only as a send may.
     */
    public void publishStatus(Origin origin, ProducerRecord<byte[], byte[]> record) {
        try {
            producer.send(record, (metadata, error) -> {
                if (error != null) {
                    LOG.debug("A status of {} was not published: {}", origin.source(), error.getMessage());
                }
            });
        } catch (KafkaException e) {
            LOG.debug("A status of {} was not published: {}", origin.source(), e.getMessage());
        }
    }

    private int partitions(String topic) {
        return producer.partitionsFor(topic).size();
    }

    private void failed(Delivery delivery, OutcomeRecords.Sized sized, Exception error) {
        Reduction reduction = sized.reduction();
        String topic = sized.record().topic();
        if (error instanceof InterruptException) {
            // the worker was interrupted: the engine is stopping, and the event is left for the next owner
            LOG.debug("Publishing the outcome of {} was interrupted", delivery.origin().source());
            delivery.progress().dropped();
            return;
        }
        boolean minimal = false;
        if (error instanceof RecordTooLargeException) {
            if (records.refused(delivery.origin(), reduction)) {
                LOG.warn("The broker refused the outcome of {} as too large; publishing it {}",
                        delivery.origin().source(), reduction.next().description());
                resendSoon(delivery, Duration.ZERO);
                return;
            }
            minimal = true;
        }
        if (SendFailures.isPermanent(error, minimal)) {
            fatal(delivery.origin(), "outcome", new OutcomesRefusedException("outcomes on topic " + topic,
                    SendFailures.why(error), error));
        } else if (error instanceof RetriableException) {
            resendLater(delivery, topic, error);
        } else {
            fatal(delivery.origin(), "outcome", error);
        }
    }

    /** Stops the engine, once: {@code error} cannot be cured by sending again. */
    private void fatal(Origin origin, String what, Throwable error) {
        if (failed.compareAndSet(false, true)) {
            LOG.error("Cannot publish the {} of {}; stopping so it is redone after a restart", what, origin.source(),
                    error);
            onFatal.accept(error);
        }
    }

    /** Sends {@code delivery} again after a pause; {@code topic} is where it failed (null before a record was made). */
    private void resendLater(Delivery delivery, String topic, Exception error) {
        Duration delay = RESENDS.next(delivery.resends() + 1);
        outage.pending("Publishing outcomes", error);
        LOG.debug("Publishing the outcome of {} failed ({}); trying again in {} ms", delivery.origin().source(),
                error.getMessage(), delay.toMillis());
        resendSoon(delivery.again(topic, error), delay);
    }

    /** Sends {@code delivery} again after {@code delay}, on the resend thread (never on the producer's own). */
    private void resendSoon(Delivery delivery, Duration delay) {
        try {
            resends.schedule(() -> send(delivery), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("Publisher closed; the outcome of {} is left for the next owner", delivery.origin().source());
        }
    }

    @Override
    public Stall stall() {
        Duration duration = outage.duration();
        return duration.isZero() ? Stall.NONE : new Stall(duration, outage.what());
    }

    /** Stops resending and closes the producer, waiting at most {@code timeout} for sends in progress. */
    @Override
    public void close(Duration timeout) {
        resends.shutdownNow();
        producer.close(timeout);
        cluster.close();
    }
}
