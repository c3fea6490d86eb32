package dev.courier.model;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff, capped: the cap after failure {@code n} is {@code min(max, initial × 2^(n−1))}, and the
 * wait is either drawn uniformly from {@code [0, cap]} (full jitter, for HTTP retries, so many clients do not
 * retry in step) or the cap itself ({@link #withoutJitter}, for Courier's own retries of Kafka and the schema
 * registry). The one backoff of the dispatcher, the intake and the publisher. Immutable; thread-safe when the
 * random source is.
 */
public final class Backoff {

    private final long initialNanos;
    private final long maxNanos;
    private final DoubleSupplier random;

    /**
     * Full jitter.
     *
     * @param random uniform values in {@code [0, 1)}
     */
    public Backoff(Duration initial, Duration max, DoubleSupplier random) {
        this.initialNanos = initial.toNanos();
        this.maxNanos = max.toNanos();
        this.random = random;
    }

    /** A backoff whose wait is always the cap: {@code initial}, doubling per failure up to {@code max}. */
    public static Backoff withoutJitter(Duration initial, Duration max) {
        return new Backoff(initial, max, null);
    }

    /** The most the wait after failure {@code attempt} (1 for the first) may be. */
    public Duration cap(int attempt) {
        return Duration.ofNanos(capNanos(attempt));
    }

    /** The wait after failure {@code attempt}: drawn from {@code [0, cap(attempt)]}, or the cap without jitter. */
    public Duration next(int attempt) {
        long cap = capNanos(attempt);
        if (random == null) {
            return Duration.ofNanos(cap);
        }
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
