package dev.courier.publish;

import dev.courier.codec.EventCodec;
import dev.courier.codec.SchemaRegistryException;
import dev.courier.model.Outcome;
import dev.courier.model.RequestStatus;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.function.ToIntFunction;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.utils.Utils;

/**
 * The records of the status topic ({@code courier.topics.status}): one small {@link RequestStatus} per record, keyed
 * by the request's id (so the topic, compacted, keeps each id's latest), timestamped when it is made. Each is encoded
 * once, here; nothing reads it back on the way out. Stateless apart from the codec's schema cache; thread-safe.
 */
public final class StatusRecords {

    private final EventCodec codec;
    private final String topic;
    private final Clock clock;

    /** @param topic the status topic */
    public StatusRecords(EventCodec codec, String topic, Clock clock) {
        this.codec = codec;
        this.topic = topic;
        this.clock = clock;
    }

    /** The status topic. */
    public String topic() {
        return topic;
    }

    /**
     * The status that goes with {@code outcome}, published as {@code outcomeRecord}: succeeded or failed, with where
     * the request and the outcome are (the outcome's partition as the producer will choose it; its offset is not known
     * yet). Null for an event without an id (a record that could not be decoded), which has no status.
     *
     * @param partitions the partition count of a topic; 0 when unknown
     * @throws SchemaRegistryException when the schema id cannot be had (first use only)
     */
    ProducerRecord<byte[], byte[]> outcome(Origin origin, Outcome outcome, ProducerRecord<byte[], byte[]> outcomeRecord,
            ToIntFunction<String> partitions) throws SchemaRegistryException {
        if (origin.request() == null) {
            return null;
        }
        Integer statusCode;
        String category = null;
        String message = null;
        RequestStatus.State state;
        if (outcome instanceof Outcome.Result result) {
            state = RequestStatus.State.SUCCEEDED;
            statusCode = result.status();
        } else {
            Outcome.DeadLetter letter = (Outcome.DeadLetter) outcome;
            state = RequestStatus.State.FAILED;
            statusCode = letter.lastStatus();
            category = letter.category().name();
            message = letter.message();
        }
        RequestStatus.Position where = new RequestStatus.Position(outcomeRecord.topic(),
                partitionOf(outcomeRecord, partitions), null);
        return record(new RequestStatus(origin.request().id(), state, origin.replayCount(), statusCode,
                outcome.attempts().count(), category, message, requestedAt(origin), outcome.attempts().first(),
                outcome.attempts().last(), null, clock.instant(), RequestStatus.Position.of(origin.source()), where));
    }

    /**
     * The status of an event whose attempt failed and whose next attempt is due at {@code nextAttemptAt}.
     *
     * @param attempts   attempts made so far
     * @param statusCode the HTTP status of the last attempt that got a response, or null
     * @param message    what went wrong with the last attempt, or null
     * @throws SchemaRegistryException when the schema id cannot be had (first use only)
     */
    public ProducerRecord<byte[], byte[]> retrying(Origin origin, int attempts, Instant firstAttemptAt,
            Instant lastAttemptAt, Integer statusCode, String message, Instant nextAttemptAt)
            throws SchemaRegistryException {
        return record(new RequestStatus(origin.request().id(), RequestStatus.State.RETRYING, origin.replayCount(),
                statusCode, attempts, null, message, requestedAt(origin), firstAttemptAt, lastAttemptAt, nextAttemptAt,
                clock.instant(), RequestStatus.Position.of(origin.source()), null));
    }

    /**
     * The status of an event {@code courier replay} publishes again: pending, with its new replay count and where the
     * request goes, written now (give the request the record's timestamp).
     *
     * @param requestTopic     the topic the request is published to
     * @param requestPartition the partition it goes to, or null when the producer chooses
     * @throws SchemaRegistryException when the schema id cannot be had (first use only)
     */
    public ProducerRecord<byte[], byte[]> pending(String id, int replayCount, String requestTopic,
            Integer requestPartition) throws SchemaRegistryException {
        Instant at = clock.instant();
        return record(new RequestStatus(id, RequestStatus.State.PENDING, replayCount, null, 0, null, null, at, null,
                null, null, at, new RequestStatus.Position(requestTopic, requestPartition, null), null));
    }

    private ProducerRecord<byte[], byte[]> record(RequestStatus status) throws SchemaRegistryException {
        return new ProducerRecord<>(topic, null, status.updatedAt().toEpochMilli(),
                status.id().getBytes(StandardCharsets.UTF_8), codec.encodeStatus(topic, status));
    }

    private static Instant requestedAt(Origin origin) {
        return origin.timestamp() < 0 ? null : Instant.ofEpochMilli(origin.timestamp());
    }

    /**
     * The partition of {@code record} as the producer's default partitioner chooses it for a record with a key (the
     * outcome topic's share of the key's murmur2 hash), or null for one without.
     */
    private static Integer partitionOf(ProducerRecord<byte[], byte[]> record, ToIntFunction<String> partitions) {
        if (record.partition() != null) {
            return record.partition();
        }
        return record.key() == null ? null : partitionOf(record.key(), partitions.applyAsInt(record.topic()));
    }

    /**
     * The partition the producer's default partitioner gives a record with {@code key} on a topic of {@code count}
     * partitions (the key's murmur2 hash), or null when {@code count} is not known (0).
     */
    public static Integer partitionOf(byte[] key, int count) {
        return count > 0 ? Utils.toPositive(Utils.murmur2(key)) % count : null;
    }
}
