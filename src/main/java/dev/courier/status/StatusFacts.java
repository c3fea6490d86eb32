package dev.courier.status;

import dev.courier.codec.DecodeException;
import dev.courier.codec.EventCodec;
import dev.courier.codec.SchemaRegistryException;
import dev.courier.model.StoredOutcome;
import dev.courier.publish.OutcomeHeaders;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a record of one of Courier's topics into what it says about its request, keyed by the request id: a
 * request record makes it pending, a result succeeded, a dead letter failed. Records that carry no request id (a
 * record that is not an event, a dead letter of one, a tombstone) and records older than the retention are
 * dropped. A registry that cannot be asked is an error of the stream thread (it is replaced, and the record read
 * again); a value that cannot be decoded is skipped.
 *
 * <p>One instance per stream task, called on its stream thread only.
 */
final class StatusFacts implements Processor<byte[], byte[], String, RequestStatus> {

    /** Which topic the records come from. */
    enum Kind { REQUEST, RESULT, DEAD_LETTER }

    private static final Logger LOG = LoggerFactory.getLogger(StatusFacts.class);

    private final Kind kind;
    private final EventCodec codec;
    private final Duration retention;
    private ProcessorContext<String, RequestStatus> context;

    StatusFacts(Kind kind, EventCodec codec, Duration retention) {
        this.kind = kind;
        this.codec = codec;
        this.retention = retention;
    }

    @Override
    public void init(ProcessorContext<String, RequestStatus> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        if (record.value() == null || record.timestamp() < context.currentSystemTimeMs() - retention.toMillis()) {
            return;
        }
        RequestStatus.Location where = context.recordMetadata()
                .map(meta -> new RequestStatus.Location(meta.topic(), meta.partition(), meta.offset()))
                .orElse(null);
        String topic = where == null ? "" : where.topic();
        Instant writtenAt = Instant.ofEpochMilli(record.timestamp());
        RequestStatus status;
        try {
            status = switch (kind) {
                case REQUEST -> RequestStatus.pending(codec.decodeRequest(topic, record.value()).id(),
                        OutcomeHeaders.replayCount(record.headers()), where, writtenAt);
                case RESULT -> outcome(codec.decodeResultOutcome(topic, record.value()),
                        OutcomeHeaders.replayCount(record.headers()), where, writtenAt);
                case DEAD_LETTER -> {
                    StoredOutcome letter = codec.decodeDeadLetterOutcome(topic, record.value());
                    yield outcome(letter, letter.replayCount(), where, writtenAt);
                }
            };
        } catch (DecodeException | IllegalArgumentException e) {
            LOG.debug("The status view skips a record of {} it cannot read: {}", where, e.getMessage());
            return;
        } catch (SchemaRegistryException e) {
            throw new IllegalStateException("the status view cannot read " + where + ": " + e.getMessage(), e);
        }
        if (status != null) {
            context.forward(new Record<>(status.id(), status, record.timestamp()));
        }
    }

    private static RequestStatus outcome(StoredOutcome outcome, int replayCount, RequestStatus.Location where,
            Instant writtenAt) {
        if (outcome.requestId() == null) {
            return null;
        }
        return new RequestStatus(outcome.requestId(),
                outcome.succeeded() ? RequestStatus.State.SUCCEEDED : RequestStatus.State.FAILED, replayCount, null,
                null, outcome.statusCode(), outcome.attempts(), outcome.firstAttemptAt(), outcome.lastAttemptAt(),
                writtenAt, outcome.category(), outcome.errorMessage(), where, writtenAt);
    }
}
