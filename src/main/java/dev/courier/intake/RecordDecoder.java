package dev.courier.intake;

import dev.courier.codec.DecodeException;
import dev.courier.codec.EventCodec;
import dev.courier.codec.SchemaRegistryException;
import dev.courier.model.Attempts;
import dev.courier.model.Bytes;
import dev.courier.model.FailureCategory;
import dev.courier.model.Outcome;
import dev.courier.model.RequestSpec;
import dev.courier.model.RequestValidator;
import dev.courier.model.Source;
import dev.courier.model.UndecodableValue;
import dev.courier.model.Validation;
import dev.courier.publish.Origin;
import dev.courier.publish.OutcomeHeaders;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Turns a request record into a dispatchable request, or into the dead letter it must become:
 * UNDECODABLE when the value is not a request event (a tombstone, bad framing, an unknown schema id,
 * corrupt Avro), INVALID_REQUEST when it is one that cannot be dispatched. The value of an UNDECODABLE record is
 * kept in its dead letter only when asked ({@code courier.dead-letters.keep-raw-value}); otherwise the dead letter's
 * message says its length, hash and schema id ({@link UndecodableValue}). Thread-safe.
 */
final class RecordDecoder {

    private final EventCodec codec;
    private final RequestValidator validator;
    private final boolean keepRawValues;

    /** @param keepRawValues whether an undecodable record's value is kept whole in its dead letter */
    RecordDecoder(EventCodec codec, RequestValidator validator, boolean keepRawValues) {
        this.codec = codec;
        this.validator = validator;
        this.keepRawValues = keepRawValues;
    }

    /**
     * @param generation the publisher's generation now, carried by the event's origin
     * @throws SchemaRegistryException when the registry cannot be asked for the record's schema: not the
     *                                 record's fault, so the caller keeps it and tries again later
     */
    Decoded decode(ConsumerRecord<byte[], byte[]> record, long generation) throws SchemaRegistryException {
        Source source = new Source(record.topic(), record.partition(), record.offset());
        Bytes key = record.key() == null ? null : Bytes.wrap(record.key());
        Map<String, Bytes> trace = traceHeaders(record);
        int replayCount = OutcomeHeaders.replayCount(record.headers());
        RequestSpec request;
        try {
            request = codec.decodeRequest(record.topic(), record.value());
        } catch (DecodeException e) {
            byte[] value = record.value();
            Bytes raw = value == null || !keepRawValues ? null : Bytes.wrap(value);
            String message = value == null || keepRawValues ? e.getMessage()
                    : e.getMessage() + "; " + UndecodableValue.description(value);
            return new Decoded.Rejected(new Origin(source, key, null, raw, trace, replayCount, generation,
                    record.timestamp()),
                    new Outcome.DeadLetter(FailureCategory.UNDECODABLE, null, message, Attempts.NONE));
        }
        Origin origin = new Origin(source, key, request, null, trace, replayCount, generation,
                record.timestamp());
        Validation validation = validator.validate(request);
        if (validation instanceof Validation.Invalid invalid) {
            return new Decoded.Rejected(origin, new Outcome.DeadLetter(FailureCategory.INVALID_REQUEST, null,
                    "invalid request: " + invalid.reason(), Attempts.NONE));
        }
        return new Decoded.Dispatchable(origin, ((Validation.Valid) validation).request());
    }

    private static Map<String, Bytes> traceHeaders(ConsumerRecord<byte[], byte[]> record) {
        Map<String, Bytes> trace = new HashMap<>(2);
        for (String name : OutcomeHeaders.TRACE_CONTEXT) {
            Header header = record.headers().lastHeader(name);
            if (header != null && header.value() != null) {
                trace.put(name, Bytes.copyOf(header.value()));
            }
        }
        return trace;
    }
}
