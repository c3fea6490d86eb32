package dev.courier.publish;

import dev.courier.codec.EventCodec;
import dev.courier.codec.SchemaRegistryException;
import dev.courier.model.Bytes;
import dev.courier.model.DeadLetterEntry;
import dev.courier.model.FailureCategory;
import dev.courier.model.Outcome;
import dev.courier.model.RequestSpec;
import dev.courier.model.Source;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka record of an outcome: the result or dead letter encoded for its topic, keyed by the request
 * record's key, with {@link OutcomeHeaders}, in the first {@link Reduction} whose whole record (key, value
 * and headers) fits the size limit. The minimal form always fits, so an outcome is never refused for its
 * size: what was dropped is said in the dead letter's message and in the {@code courier-dropped} header.
 *
 * <p>An outcome that cannot be encoded at all (a defect) becomes a minimal {@code INTERNAL_ERROR} dead letter
 * that says so. When the broker still refuses a record as too large (its limit is lower than Courier was
 * told), {@link #refused} remembers it, and the event's next record, sent again or redone after an abort,
 * starts from the next smaller form. The same path serves both delivery guarantees.
 *
 * <p>With {@link StatusRecords}, each outcome comes with the status record that says so (succeeded or failed, as
 * the record sent says), to be published with it. Thread-safe.
 */
public final class OutcomeRecords {

    private static final Logger LOG = LoggerFactory.getLogger(OutcomeRecords.class);
    /** Events whose records the broker refused as too large, remembered so the next attempt is smaller. */
    private static final int REFUSALS_KEPT = 1024;
    /** Characters of an id or a message kept in the minimal form. */
    static final int MINIMAL_TEXT = 1024;

    private final EventCodec codec;
    private final String resultsTopic;
    private final String deadLettersTopic;
    private final Clock clock;
    private final int maxRecordBytes;
    private final StatusRecords statuses;
    private final Map<Source, Reduction> refusals = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Source, Reduction> eldest) {
            return size() > REFUSALS_KEPT;
        }
    };

    /**
     * @param maxRecordBytes the largest record sent: the smallest of the producer's {@code max.request.size} and
     *                       the outcome topics' {@code max.message.bytes}
     */
    public OutcomeRecords(EventCodec codec, String resultsTopic, String deadLettersTopic, Clock clock,
            int maxRecordBytes) {
        this(codec, resultsTopic, deadLettersTopic, clock, maxRecordBytes, null);
    }

    /**
     * @param maxRecordBytes as above
     * @param statuses       makes the status record of each outcome, or null for none
     */
    public OutcomeRecords(EventCodec codec, String resultsTopic, String deadLettersTopic, Clock clock,
            int maxRecordBytes, StatusRecords statuses) {
        this.codec = codec;
        this.resultsTopic = resultsTopic;
        this.deadLettersTopic = deadLettersTopic;
        this.clock = clock;
        this.maxRecordBytes = maxRecordBytes;
        this.statuses = statuses;
    }

    /**
     * A record ready to send, the form it is in, and the status record to publish with it (null when statuses are not
     * written, or the event has no id).
     */
    record Sized(ProducerRecord<byte[], byte[]> record, Reduction reduction, ProducerRecord<byte[], byte[]> status) {
    }

    /** An outcome's record, and the outcome it says: the one given, or what replaced it when that could not be encoded. */
    private record Encoded(ProducerRecord<byte[], byte[]> record, Outcome outcome) {
    }

    /**
     * The record of {@code outcome} in the fullest form that fits, from where an earlier refusal left off.
     *
     * @param partitions the partition count of a topic, for a record sent without its key; 0 when unknown
     * @throws SchemaRegistryException when the schema id cannot be had (first use of the topic only)
     */
    Sized of(Origin origin, String targetHost, Outcome outcome, ToIntFunction<String> partitions)
            throws SchemaRegistryException {
        Reduction reduction;
        synchronized (refusals) {
            reduction = refusals.getOrDefault(origin.source(), Reduction.WHOLE);
        }
        Encoded encoded = encode(origin, targetHost, outcome, reduction, partitions);
        while (!RecordSize.fits(RecordSize.of(encoded.record()), maxRecordBytes) && reduction != Reduction.MINIMAL) {
            long size = RecordSize.of(encoded.record());
            reduction = reduction.next();
            encoded = encode(origin, targetHost, outcome, reduction, partitions);
            LOG.warn("The outcome of {} is {} bytes, over the limit of {}; publishing it {}", origin.source(), size,
                    maxRecordBytes, reduction.description());
        }
        ProducerRecord<byte[], byte[]> status = statuses == null ? null
                : statuses.outcome(origin, encoded.outcome(), encoded.record(), partitions);
        return new Sized(encoded.record(), reduction, status);
    }

    /**
     * The broker refused the record of {@code origin} in form {@code reduction} as too large; the next record of
     * the event is smaller.
     *
     * @return false when it was already minimal, so nothing smaller can be sent
     */
    boolean refused(Origin origin, Reduction reduction) {
        synchronized (refusals) {
            refusals.put(origin.source(), reduction.next());
        }
        return reduction != Reduction.MINIMAL;
    }

    private Encoded encode(Origin origin, String targetHost, Outcome outcome, Reduction reduction,
            ToIntFunction<String> partitions) throws SchemaRegistryException {
        try {
            return new Encoded(build(origin, targetHost, outcome, reduction, partitions), outcome);
        } catch (RuntimeException e) {
            LOG.error("Cannot encode the outcome of {}; publishing an INTERNAL_ERROR dead letter instead",
                    origin.source(), e);
            Outcome.DeadLetter failure = new Outcome.DeadLetter(FailureCategory.INTERNAL_ERROR, null,
                    "Courier could not encode the outcome of this event (" + e + "); the event ended as "
                            + summary(outcome),
                    outcome.attempts());
            return new Encoded(build(origin, targetHost, failure, Reduction.MINIMAL, partitions), failure);
        }
    }

    /** The topic {@code outcome} goes to: the results topic, or the dead-letter topic. */
    String topicOf(Outcome outcome) {
        return outcome instanceof Outcome.Result ? resultsTopic : deadLettersTopic;
    }

    private ProducerRecord<byte[], byte[]> build(Origin origin, String targetHost, Outcome outcome,
            Reduction reduction, ToIntFunction<String> partitions) throws SchemaRegistryException {
        String topic = topicOf(outcome);
        byte[] value;
        if (outcome instanceof Outcome.Result result) {
            value = codec.encodeResult(topic, Reductions.request(origin.request(), reduction), targetHost,
                    Reductions.result(result, reduction));
        } else {
            value = codec.encodeDeadLetter(topic, deadLetter(origin, (Outcome.DeadLetter) outcome, reduction));
        }
        byte[] key = origin.key() == null ? null : origin.key().toByteArray();
        if (reduction != Reduction.MINIMAL) {
            return new ProducerRecord<>(topic, null, key, value, OutcomeHeaders.of(origin, reduction));
        }
        // Without its key (which may be what is too large), in the partition the key would have chosen.
        int count = key == null ? 0 : partitions.applyAsInt(topic);
        Integer partition = count > 0 ? Utils.toPositive(Utils.murmur2(key)) % count : null;
        return new ProducerRecord<>(topic, partition, (byte[]) null, value, OutcomeHeaders.of(origin, reduction));
    }

    private DeadLetterEntry deadLetter(Origin origin, Outcome.DeadLetter failure, Reduction reduction) {
        RequestSpec request = origin.request();
        if (reduction == Reduction.WHOLE) {
            return new DeadLetterEntry(request, origin.key(), origin.rawValue(), failure, clock.instant(),
                    origin.source(), origin.replayCount());
        }
        List<String> dropped = new ArrayList<>();
        Bytes rawKey = origin.key();
        Bytes rawValue = origin.rawValue();
        String requestId = request == null ? null : request.id();
        if (request != null && request.body() != null) {
            dropped.add("the request body (" + request.body().length() + " bytes)");
        }
        if (reduction.dropsAtLeast(Reduction.WITHOUT_HEADERS_AND_ATTRIBUTES) && request != null
                && (!request.headers().isEmpty() || !request.attributes().isEmpty())) {
            dropped.add("the request's headers and attributes");
        }
        if (reduction.dropsAtLeast(Reduction.WITHOUT_RAW_KEY_AND_VALUE)) {
            if (rawKey != null) {
                dropped.add("the raw key (" + rawKey.length() + " bytes)");
            }
            if (rawValue != null) {
                dropped.add("the raw value (" + rawValue.length() + " bytes)");
            }
            rawKey = null;
            rawValue = null;
        }
        request = Reductions.request(request, reduction);
        if (reduction == Reduction.MINIMAL) {
            dropped.add("the rest of the request event, the record key and the trace headers");
            request = null;
            requestId = Reductions.cut(requestId);
        }
        String message = (reduction == Reduction.MINIMAL ? Reductions.cut(failure.message()) : failure.message())
                + " (the dead letter was over the size limit of " + maxRecordBytes + " bytes; dropped "
                + (dropped.isEmpty() ? "nothing it had" : String.join(", ", dropped)) + "; the request is still at " + origin.source() + ")";
        return new DeadLetterEntry(requestId, request, rawKey, rawValue,
                new Outcome.DeadLetter(failure.category(), failure.lastStatus(), message, failure.attempts()),
                clock.instant(), origin.source(), origin.replayCount());
    }

    private static String summary(Outcome outcome) {
        if (outcome instanceof Outcome.Result result) {
            return "a result with HTTP status " + result.status();
        }
        Outcome.DeadLetter letter = (Outcome.DeadLetter) outcome;
        return "a dead letter, " + letter.category() + ": " + Reductions.cut(letter.message());
    }
}
