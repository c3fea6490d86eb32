package dev.courier.dispatch;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with full jitter: the wait after attempt {@code n} is drawn uniformly from
 * {@code [0, min(max, initial × 2^(n−1))]}. Thread-safe when the random source is.
 */
final class Backoff {

    private final long initialNanos;
    private final long maxNanos;
    private final DoubleSupplier random;

    /** @param random uniform values in {@code [0, 1)} */
    Backoff(Duration initial, Duration max, DoubleSupplier random) {
        this.initialNanos = initial.toNanos();
        this.maxNanos = max.toNanos();
        this.random = random;
    }

    /** The most the wait after attempt {@code attempt} (1 for the first) may be. */
    Duration cap(int attempt) {
        return Duration.ofNanos(capNanos(attempt));
    }

    /** A wait after attempt {@code attempt}, drawn from {@code [0, cap(attempt)]}. */
    Duration next(int attempt) {
        long cap = capNanos(attempt);
        return Duration.ofNanos(Math.min(cap, (long) (random.getAsDouble() * (cap + 1.0))));
    }

    private long capNanos(int attempt) {
        int doublings = Math.max(0, attempt - 1);
        if (doublings >= Long.numberOfLeadingZeros(initialNanos) - 1) {
            return maxNanos;
        }
        return Math.min(maxNanos, initialNanos << doublings);
    }
}
