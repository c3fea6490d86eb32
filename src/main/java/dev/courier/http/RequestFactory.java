package dev.courier.http;

import dev.courier.model.Bytes;
import dev.courier.model.DispatchRequest;
import java.util.Map;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * Turns a {@link DispatchRequest} into the OkHttp request of one attempt; a named target's credentials are added to
 * it by its {@link TargetRoute}. Stateless and thread-safe.
 */
final class RequestFactory {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private final long maxRequestBytes;
    private final boolean idempotencyKeyFromId;

    /**
     * @param maxRequestBytes      the largest body sent, in bytes ({@code courier.http.max-request-bytes})
     * @param idempotencyKeyFromId send the event's id as {@code Idempotency-Key} when it has no idempotencyKey
     */
    RequestFactory(long maxRequestBytes, boolean idempotencyKeyFromId) {
        this.maxRequestBytes = maxRequestBytes;
        this.idempotencyKeyFromId = idempotencyKeyFromId;
    }

    /** Why {@code request} must not be sent as it is, or null when it may be. */
    String refusal(DispatchRequest request) {
        Bytes body = request.body();
        if (body != null && body.length() > maxRequestBytes) {
            return "request body is " + body.length() + " bytes; the limit is " + maxRequestBytes
                    + " (courier.http.max-request-bytes)";
        }
        return null;
    }

    /**
     * The request to execute, tagged with {@code trace}. The {@code Idempotency-Key} header goes on every
     * attempt: the event's idempotencyKey, else (unless turned off) its id when that is printable ASCII.
     *
     * @throws IllegalArgumentException when OkHttp refuses the URL, a header or the content type
     */
    Request create(DispatchRequest request, AttemptTrace trace) {
        return create(request, HttpUrl.get(request.url().toString()), trace).build();
    }

    /**
     * The request of the first hop to {@code url} (the request's URL as OkHttp reads it), tagged with
     * {@code trace}, for the caller to add a target's credentials to.
     *
     * @throws IllegalArgumentException when OkHttp refuses a header or the content type
     */
    Request.Builder create(DispatchRequest request, HttpUrl url, AttemptTrace trace) {
        Request.Builder builder = new Request.Builder()
                .url(url)
                .tag(AttemptTrace.class, trace);
        for (Map.Entry<String, String> header : request.headers().entrySet()) {
            builder.addHeader(header.getKey(), header.getValue());
        }
        String idempotencyKey = idempotencyKey(request);
        if (idempotencyKey != null) {
            builder.header(IDEMPOTENCY_KEY, idempotencyKey);
        }
        return builder.method(request.method().name(), body(request));
    }

    private String idempotencyKey(DispatchRequest request) {
        if (request.idempotencyKey() != null) {
            return request.idempotencyKey();
        }
        return idempotencyKeyFromId && isVisibleAscii(request.id()) ? request.id() : null;
    }

    private static boolean isVisibleAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                return false;
            }
        }
        return true;
    }

    private static RequestBody body(DispatchRequest request) {
        MediaType contentType = request.contentType() == null ? null : MediaType.get(request.contentType());
        if (contentType != null) {
            // OkHttp checks the header's characters only when it writes it, from inside the call: check them here,
            // so that a content type it cannot send is refused before the attempt, not thrown from it
            Headers.of("Content-Type", contentType.toString());
        }
        if (request.body() != null) {
            return RequestBody.create(request.body().toByteArray(), contentType);
        }
        return switch (request.method()) {
            // OkHttp requires a body with these methods: send an empty one.
            case POST, PUT, PATCH -> RequestBody.create(new byte[0], contentType);
            default -> null;
        };
    }
}
