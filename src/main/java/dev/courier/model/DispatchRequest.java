package dev.courier.model;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A validated request, ready to be called: the method is known, the URL is absolute http(s) with the
 * named target resolved, headers are legal and the limits are in range. Built only by
 * {@link RequestValidator}.
 *
 * @param id             the request event's id
 * @param method         the HTTP method
 * @param url            absolute http or https URL to call
 * @param target         the named target the URL is under (an operator's base URL, trusted), or null when the event
 *                       wrote the URL itself (untrusted: the egress policy applies)
 * @param headers        headers to send, without {@code Content-Type} (see {@code contentType})
 * @param body           body to send, or null for none
 * @param contentType    media type of the body, or null
 * @param timeout        per-attempt timeout the event asked for, or null for Courier's default
 * @param maxAttempts    attempts the event asked for, or null for Courier's default
 * @param deadline       instant after which no attempt starts, or null for none
 * @param idempotencyKey value of the {@code Idempotency-Key} header, or null
 * @param correlationId  free-form id echoed on the outcome, or null
 * @param rateLimitKey   token bucket to draw from: the event's key, else the URL's host
 * @param attributes     free-form values echoed on the outcome
 */
public record DispatchRequest(
        String id,
        HttpMethod method,
        URI url,
        String target,
        Map<String, String> headers,
        Bytes body,
        String contentType,
        Duration timeout,
        Integer maxAttempts,
        Instant deadline,
        String idempotencyKey,
        String correlationId,
        String rateLimitKey,
        Map<String, String> attributes) {

    public DispatchRequest {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(rateLimitKey, "rateLimitKey");
        headers = Map.copyOf(headers);
        attributes = Map.copyOf(attributes);
    }

    /** The host the call goes to. */
    public String host() {
        return url.getHost();
    }
}
