package dev.courier.publish;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;

/** The Kafka headers Courier reads from request records and writes on outcome records. */
public final class OutcomeHeaders {

    /** The request's id, on every outcome. */
    public static final String REQUEST_ID = "courier-request-id";
    /** The request's correlationId, on outcomes of requests that have one. */
    public static final String CORRELATION_ID = "courier-correlation-id";
    /**
     * How many times a request event was replayed from the dead-letter topic: read from request records (set by
     * {@code courier replay}), and written on the outcome of a replayed event.
     */
    public static final String REPLAY_COUNT = "courier-replay-count";
    /**
     * On an outcome over the size limit, what was left out to make it fit: {@code body}, {@code headers},
     * {@code attributes}, {@code raw}, {@code request}, {@code key}, {@code trace}, comma-separated.
     */
    public static final String DROPPED = "courier-dropped";
    /** W3C trace context, copied from the request record to its outcome. */
    public static final List<String> TRACE_CONTEXT = List.of("traceparent", "tracestate");

    private OutcomeHeaders() {
    }

    /** The {@link #REPLAY_COUNT} header's value among {@code headers}; 0 when absent or not a count. */
    public static int replayCount(Headers headers) {
        Header header = headers.lastHeader(REPLAY_COUNT);
        if (header == null || header.value() == null) {
            return 0;
        }
        try {
            return Math.max(0, Integer.parseInt(new String(header.value(), StandardCharsets.UTF_8).trim()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The headers of the outcome of {@code origin} in form {@code reduction}. */
    static List<Header> of(Origin origin, Reduction reduction) {
        List<Header> headers = new ArrayList<>(5);
        boolean minimal = reduction == Reduction.MINIMAL;
        if (origin.request() != null) {
            String id = origin.request().id();
            headers.add(text(REQUEST_ID, minimal ? Reductions.cut(id) : id));
            String correlationId = origin.request().correlationId();
            if (correlationId != null) {
                headers.add(text(CORRELATION_ID, minimal ? Reductions.cut(correlationId) : correlationId));
            }
        }
        if (!minimal) {
            for (Map.Entry<String, dev.courier.model.Bytes> trace : origin.traceHeaders().entrySet()) {
                headers.add(new RecordHeader(trace.getKey(), trace.getValue().toByteArray()));
            }
        }
        if (origin.replayCount() > 0) {
            headers.add(text(REPLAY_COUNT, Integer.toString(origin.replayCount())));
        }
        if (reduction != Reduction.WHOLE) {
            headers.add(text(DROPPED, reduction.dropped()));
        }
        return headers;
    }

    private static Header text(String name, String value) {
        return new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
