package dev.courier.model;

import java.time.Instant;
import java.util.Map;

/**
 * A request event field by field, as its producer wrote it: decoded, not yet validated. It is what a
 * dead letter carries back and what replay re-publishes, so it keeps every field unchanged.
 *
 * @param id             the producer's id for the request; required
 * @param method         HTTP method as written; validation checks it
 * @param url            absolute URL, or null when {@code target} is used
 * @param target         name of a configured target, or null
 * @param path           path and query under the target's base URL, or null
 * @param headers        request headers, never null
 * @param body           request body, or null
 * @param contentType    media type of the body, or null
 * @param timeoutMs      per-attempt timeout asked for, or null for Courier's default
 * @param maxAttempts    attempts asked for, or null for Courier's default
 * @param deadline       instant after which no attempt starts, or null
 * @param idempotencyKey key sent as {@code Idempotency-Key}, or null
 * @param correlationId  free-form id echoed on the outcome, or null
 * @param rateLimitKey   token bucket to draw from, or null for the target host
 * @param attributes     free-form values echoed on the outcome, never null
 */
public record RequestSpec(
        String id,
        String method,
        String url,
        String target,
        String path,
        Map<String, String> headers,
        Bytes body,
        String contentType,
        Long timeoutMs,
        Integer maxAttempts,
        Instant deadline,
        String idempotencyKey,
        String correlationId,
        String rateLimitKey,
        Map<String, String> attributes) {

    public RequestSpec {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }

    /** This request without its body. */
    public RequestSpec withoutBody() {
        return new RequestSpec(id, method, url, target, path, headers, null, contentType, timeoutMs, maxAttempts,
                deadline, idempotencyKey, correlationId, rateLimitKey, attributes);
    }

    /** This request without its headers and attributes. */
    public RequestSpec withoutHeadersAndAttributes() {
        return new RequestSpec(id, method, url, target, path, Map.of(), body, contentType, timeoutMs, maxAttempts,
                deadline, idempotencyKey, correlationId, rateLimitKey, Map.of());
    }
}
