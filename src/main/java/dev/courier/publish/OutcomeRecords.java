package dev.courier.publish;

import dev.courier.codec.EventCodec;
import dev.courier.codec.SchemaRegistryException;
import dev.courier.model.DeadLetterEntry;
import dev.courier.model.Outcome;
import java.time.Clock;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka record of an outcome: the result or dead letter encoded for its topic, keyed by the request
 * record's key, with {@link OutcomeHeaders}. An outcome whose value would pass the size limit is sent
 * in its reduced form ({@link Reductions}): without the response body, or without the request body.
 * Thread-safe.
 */
public final class OutcomeRecords {

    private static final Logger LOG = LoggerFactory.getLogger(OutcomeRecords.class);

    private final EventCodec codec;
    private final String resultsTopic;
    private final String deadLettersTopic;
    private final Clock clock;
    private final int maxValueBytes;

    /**
     * @param maxValueBytes the largest value sent as it is; keep it a little under the producer's
     *                      {@code max.request.size} and the topics' {@code max.message.bytes}
     */
    public OutcomeRecords(EventCodec codec, String resultsTopic, String deadLettersTopic, Clock clock, int maxValueBytes) {
        this.codec = codec;
        this.resultsTopic = resultsTopic;
        this.deadLettersTopic = deadLettersTopic;
        this.clock = clock;
        this.maxValueBytes = maxValueBytes;
    }

    /**
     * @param reduced send the reduced form even if the full one would fit (the broker refused the full one)
     * @throws SchemaRegistryException when the schema id cannot be had (first use of the topic only)
     */
    ProducerRecord<byte[], byte[]> of(Origin origin, String targetHost, Outcome outcome, boolean reduced)
            throws SchemaRegistryException {
        ProducerRecord<byte[], byte[]> record = build(origin, targetHost, outcome, reduced);
        if (!reduced && record.value().length > maxValueBytes) {
            LOG.warn("The outcome of {} is {} bytes, over the limit of {}; publishing it without its body",
                    origin.source(), record.value().length, maxValueBytes);
            record = build(origin, targetHost, outcome, true);
        }
        return record;
    }

    private ProducerRecord<byte[], byte[]> build(Origin origin, String targetHost, Outcome outcome, boolean reduced)
            throws SchemaRegistryException {
        byte[] key = origin.key() == null ? null : origin.key().toByteArray();
        if (outcome instanceof Outcome.Result result) {
            Outcome.Result sent = reduced ? Reductions.withoutBody(result) : result;
            byte[] value = codec.encodeResult(resultsTopic, origin.request(), targetHost, sent);
            return new ProducerRecord<>(resultsTopic, null, key, value, OutcomeHeaders.of(origin));
        }
        DeadLetterEntry entry = new DeadLetterEntry(origin.request(), origin.key(), origin.rawValue(),
                (Outcome.DeadLetter) outcome, clock.instant(), origin.source(), origin.replayCount());
        byte[] value = codec.encodeDeadLetter(deadLettersTopic, reduced ? Reductions.withoutBodies(entry) : entry);
        return new ProducerRecord<>(deadLettersTopic, null, key, value, OutcomeHeaders.of(origin));
    }
}
