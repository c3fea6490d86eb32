package dev.courier.config;

import java.time.Duration;

/**
 * When an attempt counts as success, when it is worth repeating, and how long to wait.
 *
 * @param successStatuses statuses that make a result
 * @param retryStatuses   statuses worth another attempt
 * @param maxAttempts     attempts allowed per event; an event may ask for fewer
 * @param backoffInitial  the cap of the random wait before the second attempt; it doubles per attempt
 * @param backoffMax      the most the doubling cap can reach
 * @param retryAfterMax   the longest {@code Retry-After} that is honoured; longer ones are cut to this
 */
public record RetrySettings(StatusSet successStatuses, StatusSet retryStatuses, int maxAttempts,
        Duration backoffInitial, Duration backoffMax, Duration retryAfterMax) {
}
