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
 */
public record HttpSettings(Duration connectTimeout, Duration readTimeout, Duration writeTimeout, Duration callTimeout,
        Duration maxCallTimeout, boolean followRedirects, long maxRequestBytes, long maxResponseBytes,
        int perHostConcurrency, Duration keepAlive, boolean idempotencyKeyFromId) {

    /** The timeout of one attempt: the event's own when it gives one, within the configured maximum. */
    public Duration attemptTimeout(Duration requested) {
        if (requested == null) {
            return callTimeout;
        }
        return requested.compareTo(maxCallTimeout) > 0 ? maxCallTimeout : requested;
    }
}
