package dev.courier.config;

import java.time.Duration;

/**
 * How Courier's one HTTP client behaves.
 *
 * @param connectTimeout     time to open a TCP connection (the TLS handshake is bounded by the read timeout)
 * @param readTimeout        longest silence while reading a response
 * @param writeTimeout       longest stall while writing a request
 * @param callTimeout        the whole attempt when the event sets no timeoutMs
 * @param maxCallTimeout     the most an event's timeoutMs may ask for
 * @param followRedirects    follow 3xx responses (otherwise a 3xx is the attempt's answer)
 * @param maxRequestBytes    largest request body; a larger one is an invalid request
 * @param maxResponseBytes   response bytes kept, after decompression; the rest is discarded
 * @param perHostConcurrency calls in progress to one host at once
 * @param keepAlive          how long an idle connection is kept for reuse
 * @param idempotencyKeyFromId send an event's id as {@code Idempotency-Key} when it has no idempotencyKey
 * @param maxRedirects       redirects followed in one attempt, when {@code followRedirects}
 * @param maxRequestHeaders  headers an event may set
 * @param maxHeaderBytes     bytes of headers an event may set, counted as on the wire
 */
public record HttpSettings(Duration connectTimeout, Duration readTimeout, Duration writeTimeout, Duration callTimeout,
        Duration maxCallTimeout, boolean followRedirects, long maxRequestBytes, long maxResponseBytes,
        int perHostConcurrency, Duration keepAlive, boolean idempotencyKeyFromId, int maxRedirects,
        int maxRequestHeaders, long maxHeaderBytes) {

    /** The timeout of one attempt: the event's own when it gives one, within the configured maximum. */
    public Duration attemptTimeout(Duration requested) {
        return attemptTimeout(requested, null);
    }

    /**
     * The timeout of one attempt: the event's own when it gives one, within the configured maximum; else
     * {@code ownDefault} (a named target's call-timeout) when not null, else {@code courier.http.call-timeout}.
     */
    public Duration attemptTimeout(Duration requested, Duration ownDefault) {
        if (requested == null) {
            return ownDefault != null ? ownDefault : callTimeout;
        }
        return requested.compareTo(maxCallTimeout) > 0 ? maxCallTimeout : requested;
    }
}
