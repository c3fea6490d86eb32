package dev.courier.codec;

import dev.courier.avro.RequestEvent;
import dev.courier.model.Bytes;
import dev.courier.model.RequestSpec;
import java.nio.ByteBuffer;
import java.util.Map;

/** Converts between the generated {@link RequestEvent} and the model's {@link RequestSpec}, losing nothing. */
final class RequestMapping {

    private RequestMapping() {
    }

    static RequestSpec toSpec(RequestEvent event) {
        return new RequestSpec(
                event.getId(),
                event.getMethod(),
                event.getUrl(),
                event.getTarget(),
                event.getPath(),
                event.getHeaders(),
                bytes(event.getBody()),
                event.getContentType(),
                event.getTimeoutMs(),
                event.getMaxAttempts(),
                event.getDeadline(),
                event.getIdempotencyKey(),
                event.getCorrelationId(),
                event.getRateLimitKey(),
                event.getAttributes());
    }

    static RequestEvent toEvent(RequestSpec spec) {
        return RequestEvent.newBuilder()
                .setId(spec.id())
                .setMethod(spec.method())
                .setUrl(spec.url())
                .setTarget(spec.target())
                .setPath(spec.path())
                .setHeaders(Map.copyOf(spec.headers()))
                .setBody(spec.body() == null ? null : ByteBuffer.wrap(spec.body().toByteArray()))
                .setContentType(spec.contentType())
                .setTimeoutMs(spec.timeoutMs())
                .setMaxAttempts(spec.maxAttempts())
                .setDeadline(spec.deadline())
                .setIdempotencyKey(spec.idempotencyKey())
                .setCorrelationId(spec.correlationId())
                .setRateLimitKey(spec.rateLimitKey())
                .setAttributes(Map.copyOf(spec.attributes()))
                .build();
    }

    /** The remaining content of {@code buffer}, or null; the buffer's position is left as it was. */
    static Bytes bytes(ByteBuffer buffer) {
        if (buffer == null) {
            return null;
        }
        byte[] copy = new byte[buffer.remaining()];
        buffer.duplicate().get(copy);
        return Bytes.wrap(copy);
    }
}
