package dev.courier.model;

/**
 * What an event may ask for.
 *
 * @param maxBodyBytes   the largest request body ({@code courier.http.max-request-bytes})
 * @param maxHeaders     the most headers an event may set ({@code courier.http.max-request-headers});
 *                       {@code contentType} and {@code idempotencyKey} count as headers
 * @param maxHeaderBytes the most bytes of those headers, each counted as on the wire: name, value and 4 bytes for
 *                       {@code ": "} and the line end ({@code courier.http.max-header-bytes})
 */
public record RequestLimits(long maxBodyBytes, int maxHeaders, long maxHeaderBytes) {

    /** No limits: for tests and tools that only check the form of events. */
    public static final RequestLimits NONE = new RequestLimits(Long.MAX_VALUE, Integer.MAX_VALUE, Long.MAX_VALUE);

    public RequestLimits {
        if (maxBodyBytes < 0 || maxHeaders < 0 || maxHeaderBytes < 0) {
            throw new IllegalArgumentException("limits must not be negative");
        }
    }
}
