package dev.courier.publish;

import dev.courier.codec.SchemaRegistryException;
import dev.courier.model.Outcome;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
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
 * as it takes. An outcome over the broker's size limit is sent once more without its body. Any other
 * failure (authorization, a fenced producer) is fatal: {@code onFatal} hears it once and the engine
 * stops without committing, so the event is redone after a restart.
 *
 * <p>Thread-safe. {@code onPublished} callbacks run on the producer's I/O thread and must be quick.
 */
public final class AtLeastOncePublisher implements OutcomePublisher {

    private static final Logger LOG = LoggerFactory.getLogger(AtLeastOncePublisher.class);
    private static final Duration FIRST_RESEND_DELAY = Duration.ofMillis(100);
    private static final Duration MAX_RESEND_DELAY = Duration.ofSeconds(5);
    private static final long WARNING_INTERVAL_NANOS = Duration.ofSeconds(10).toNanos();

    private final Producer<byte[], byte[]> producer;
    private final OutcomeRecords records;
    private final Consumer<Throwable> onFatal;
    private final AtomicBoolean failed = new AtomicBoolean();
    private final java.util.concurrent.atomic.AtomicLong lastWarning = new java.util.concurrent.atomic.AtomicLong(
            System.nanoTime() - WARNING_INTERVAL_NANOS);
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
        this.producer = producer;
        this.records = records;
        this.onFatal = onFatal;
    }

    /** {@inheritDoc} Covered and visible together, once the broker has acknowledged the outcome. */
    @Override
    public void publish(Origin origin, String targetHost, Outcome outcome, Progress progress) {
        send(new Delivery(origin, targetHost, outcome, progress, false, 0));
    }

    /** One outcome on its way, with what resending it needs. */
    private record Delivery(Origin origin, String targetHost, Outcome outcome, Progress progress, boolean reduced,
            int resends) {

        Delivery again() {
            return new Delivery(origin, targetHost, outcome, progress, reduced, resends + 1);
        }
    }

    private void send(Delivery delivery) {
        ProducerRecord<byte[], byte[]> record;
        try {
            record = records.of(delivery.origin(), delivery.targetHost(), delivery.outcome(), delivery.reduced());
        } catch (SchemaRegistryException e) {
            resendLater(delivery, e);
            return;
        }
        try {
            producer.send(record, (metadata, error) -> {
                if (error == null) {
                    delivery.progress().covered();
                    delivery.progress().visible();
                } else {
                    failed(delivery, error);
                }
            });
        } catch (KafkaException e) {
            failed(delivery, e);
        }
    }

    private void failed(Delivery delivery, Exception error) {
        if (error instanceof RecordTooLargeException && !delivery.reduced()) {
            LOG.warn("The outcome of {} is over the broker's size limit; publishing it without its body",
                    delivery.origin().source());
            send(new Delivery(delivery.origin(), delivery.targetHost(), delivery.outcome(), delivery.progress(),
                    true, delivery.resends()));
        } else if (error instanceof RetriableException) {
            resendLater(delivery, error);
        } else if (failed.compareAndSet(false, true)) {
            LOG.error("Cannot publish the outcome of {}; stopping so it is redone after a restart",
                    delivery.origin().source(), error);
            onFatal.accept(error);
        }
    }

    private void resendLater(Delivery delivery, Exception error) {
        long delayMs = Math.min(MAX_RESEND_DELAY.toMillis(), FIRST_RESEND_DELAY.toMillis() << Math.min(delivery.resends(), 6));
        long now = System.nanoTime();
        long last = lastWarning.get();
        if (now - last >= WARNING_INTERVAL_NANOS && lastWarning.compareAndSet(last, now)) {
            LOG.warn("Publishing outcomes fails ({}); they are sent again until they succeed (this warning repeats at"
                    + " most every 10 s)", error.getMessage());
        } else {
            LOG.debug("Publishing the outcome of {} failed ({}); trying again in {} ms", delivery.origin().source(),
                    error.getMessage(), delayMs);
        }
        try {
            resends.schedule(() -> send(delivery.again()), delayMs, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("Publisher closed; the outcome of {} is left for the next owner", delivery.origin().source());
        }
    }

    /** Stops resending and closes the producer, waiting at most {@code timeout} for sends in progress. */
    @Override
    public void close(Duration timeout) {
        resends.shutdownNow();
        producer.close(timeout);
    }
}
