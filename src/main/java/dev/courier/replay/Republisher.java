package dev.courier.replay;

import dev.courier.codec.DecodeException;
import dev.courier.codec.EventCodec;
import dev.courier.codec.SchemaRegistryException;
import dev.courier.model.RequestSpec;
import dev.courier.model.StoredDeadLetter;
import dev.courier.publish.OutcomeHeaders;
import dev.courier.publish.StatusRecords;
import io.github.bucket4j.Bucket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The publishing half of a replay: each chosen dead letter's request event sent again to the topic replayed to, with
 * the same Kafka key, {@code courier-replay-count} one more than before and the trace context, at most the rate a
 * second, and, when statuses are written, after its {@code pending} status ({@link StatusFirst}). What is read, and
 * in which order, is {@link Replay}'s. Sends do not wait; {@link #finish} waits for them all. The replay's thread
 * calls it; the producer's callbacks count and keep the first failure.
 */
final class Republisher {

    private final Producer<byte[], byte[]> producer;
    private final EventCodec codec;
    private final String deadLettersTopic;
    private final String toTopic;
    private final Bucket rate;
    private final StatusRecords statuses;
    private final StatusFirst statusFirst;
    private final AtomicLong replayed = new AtomicLong();
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    /**
     * @param rate     the most events a second, or null for as fast as the producer takes them
     * @param statuses writes each event's pending status before its request; null for none
     */
    Republisher(Producer<byte[], byte[]> producer, EventCodec codec, String deadLettersTopic, String toTopic,
            Bucket rate, StatusRecords statuses) {
        this.producer = producer;
        this.codec = codec;
        this.deadLettersTopic = deadLettersTopic;
        this.toTopic = toTopic;
        this.rate = rate;
        this.statuses = statuses;
        this.statusFirst = statuses == null ? null : new StatusFirst(producer, failure);
    }

    /**
     * Publishes the request event of the dead letter {@code record} again, waiting for the rate first; a failure is
     * kept for {@link #finish} (and {@link #failed}).
     *
     * @return false when interrupted while waiting for the rate (the interrupt is re-asserted): nothing was sent
     */
    boolean publish(ConsumerRecord<byte[], byte[]> record) {
        StoredDeadLetter letter;
        byte[] value;
        RequestSpec request;
        try {
            letter = codec.decodeDeadLetter(deadLettersTopic, record.value());
            request = ReplayedRequest.of(letter.request());
            value = codec.encodeRequest(toTopic, request);
        } catch (DecodeException | SchemaRegistryException e) {
            failure.compareAndSet(null, e);
            return true;
        }
        if (rate != null) {
            try {
                rate.asBlocking().consume(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        RecordHeaders headers = new RecordHeaders();
        headers.add(OutcomeHeaders.REPLAY_COUNT,
                Integer.toString(letter.replayCount() + 1).getBytes(StandardCharsets.UTF_8));
        for (String name : OutcomeHeaders.TRACE_CONTEXT) {
            Header trace = record.headers().lastHeader(name);
            if (trace != null) {
                headers.add(trace);
            }
        }
        org.apache.kafka.clients.producer.Callback sent = (metadata, error) -> {
            if (error == null) {
                replayed.incrementAndGet();
            } else {
                failure.compareAndSet(null, error);
            }
        };
        if (statusFirst == null) {
            producer.send(new ProducerRecord<>(toTopic, null, record.key(), value, headers), sent);
            return true;
        }
        try {
            Integer partition = record.key() == null ? null
                    : StatusRecords.partitionOf(record.key(), producer.partitionsFor(toTopic).size());
            ProducerRecord<byte[], byte[]> status = statuses.pending(request.id(), letter.replayCount() + 1, toTopic,
                    partition);
            // the request carries its pending status's timestamp: when it was replayed
            statusFirst.add(status, new ProducerRecord<>(toTopic, null, status.timestamp(), record.key(), value,
                    headers), sent);
        } catch (SchemaRegistryException e) {
            failure.compareAndSet(null, e);
        }
        return true;
    }

    /** Whether a send, or decoding a dead letter, has failed: the replay publishes nothing more. */
    boolean failed() {
        return failure.get() != null;
    }

    /**
     * Waits until everything sent is acknowledged.
     *
     * @return how many events were published
     * @throws KafkaException when a send or a decoding failed, saying how many were published before
     */
    long finish() {
        if (statusFirst != null) {
            statusFirst.flush();
        }
        producer.flush();
        if (failure.get() != null) {
            throw new KafkaException("publishing a replayed event failed after " + replayed.get()
                    + " were published: " + failure.get().getMessage(), failure.get());
        }
        return replayed.get();
    }
}
