package dev.courier.publish;

import dev.courier.model.Bytes;
import dev.courier.model.RequestSpec;
import dev.courier.model.Source;
import java.util.Map;
import java.util.Objects;

/**
 * Where an event came from and what it was, as its outcome needs it: the key to publish under, the
 * request to echo or keep, the trace context to pass on.
 *
 * @param source       topic, partition and offset of the request record
 * @param key          the record's key, or null
 * @param request      the decoded request, or null when the record could not be decoded
 * @param rawValue     the record's value when it could not be decoded, else null
 * @param traceHeaders W3C trace context headers of the record ({@code traceparent}, {@code tracestate}), passed on
 * @param replayCount  how many times the event was replayed before (the {@code courier-replay-count} header)
 * @param epoch        the ownership epoch of the event's partition when it was taken: each assignment of the
 *                     partition, and each redo of its uncommitted work, starts a new one, and whatever arrives for
 *                     an older epoch is ignored
 * @param timestamp    the record's timestamp, in milliseconds since the epoch (its producer's clock, or the broker's
 *                     for a topic with LogAppendTime); -1 when it has none
 */
public record Origin(Source source, Bytes key, RequestSpec request, Bytes rawValue, Map<String, Bytes> traceHeaders,
        int replayCount, long epoch, long timestamp) {

    public Origin {
        Objects.requireNonNull(source, "source");
        traceHeaders = Map.copyOf(traceHeaders);
    }
}
