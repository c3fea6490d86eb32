package dev.courier.codec;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * When to ask again for a schema id the registry answered "not found" (HTTP 404, Confluent error code 40403):
 * a follower of a Confluent registry may not yet have read an id its leader has just assigned, so a record
 * written a moment ago could otherwise be dead-lettered as UNDECODABLE. The id is asked again after each of
 * {@link #DELAYS} (100, 200, 300 and 400 ms: at most 4 more requests, 1 s of waiting) before it is taken to be
 * unknown. Any other failure is final at once.
 *
 * <p><b>Bound.</b> One lookup, repeats included, ends within its request timeout + the sum of the delays
 * (1 s): the lookup's deadline is fixed when it starts, a repeat is made only if its wait ends before that
 * deadline, and each request is allowed the request timeout cut to the time left (see {@link Lookup}). With
 * {@code courier.schema-registry.timeout} at T, a {@code schemaById} that reaches the registry takes at most
 * T + 1 s; {@code register} and {@code latest} are one request each, at most T.
 *
 * <p><b>Floods.</b> After a lookup has waited out its repeats and the id is still not found, 404s are final at
 * once for {@link #QUIET_PERIOD} (5 s): records naming many different unknown ids cost one request each, and
 * wait on repeats at most once per 5 s, instead of 1 s per id.
 *
 * <p>Thread-safe; one instance is shared by the lookups of one client.
 */
final class FollowerLagRetry {
    /** The waits before the repeats of a "not found" lookup: 100, 200, 300 and 400 ms, 1 s in all. */
    static final List<Duration> DELAYS = List.of(
            Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(300), Duration.ofMillis(400));
    /** How long after a lookup found an id unknown despite its repeats a "not found" is final at once: 5 s. */
    static final Duration QUIET_PERIOD = Duration.ofSeconds(5);
    /** Confluent's error code for "schema not found", the one answer worth repeating. */
    static final int SCHEMA_NOT_FOUND = 40403;

    /** Waits; {@link TimeUnit#sleep} outside tests. */
    interface Sleeper {
        void sleep(long nanos) throws InterruptedException;
    }

    private final long[] delaysNanos;
    private final long windowNanos;
    private final long quietNanos;
    private final LongSupplier nanoTime;
    private final Sleeper sleeper;
    /** Until when (nanoTime) a "not found" is final at once. */
    private final AtomicLong quietUntil;

    static FollowerLagRetry standard() {
        return new FollowerLagRetry(DELAYS, QUIET_PERIOD, System::nanoTime, TimeUnit.NANOSECONDS::sleep);
    }

    FollowerLagRetry(List<Duration> delays, Duration quietPeriod, LongSupplier nanoTime, Sleeper sleeper) {
        this.delaysNanos = delays.stream().mapToLong(Duration::toNanos).toArray();
        this.windowNanos = delays.stream().mapToLong(Duration::toNanos).sum();
        this.quietNanos = quietPeriod.toNanos();
        this.nanoTime = nanoTime;
        this.sleeper = sleeper;
        this.quietUntil = new AtomicLong(nanoTime.getAsLong());
    }

    /** Starts one lookup whose every request may take up to {@code requestTimeout}. */
    Lookup start(Duration requestTimeout) {
        return new Lookup(requestTimeout.toNanos());
    }

    /** One lookup of one id: its deadline and the repeats made so far. Confined to the thread that started it. */
    final class Lookup {
        private final long timeoutNanos;
        private final long startNanos;
        private final long deadlineNanos;
        private int repeats;

        private Lookup(long timeoutNanos) {
            this.timeoutNanos = timeoutNanos;
            this.startNanos = nanoTime.getAsLong();
            this.deadlineNanos = startNanos + timeoutNanos + windowNanos;
        }

        /** How long the next request may take, in nanoseconds (at least 1): the request timeout, cut to the deadline. */
        long requestLimitNanos() {
            return Math.max(1, Math.min(timeoutNanos, deadlineNanos - nanoTime.getAsLong()));
        }

        /**
         * Waits before asking again, when {@code failure} is a "schema not found" worth repeating; else throws it.
         *
         * @throws SchemaRegistryException {@code failure}, naming the repeats made if any, when the lookup ends
         *     here; UNAVAILABLE when interrupted while waiting (the interrupt is re-asserted)
         */
        void awaitRepeat(SchemaRegistryException failure) throws SchemaRegistryException {
            if (failure.kind() != SchemaRegistryException.Kind.NOT_FOUND || failure.errorCode() != SCHEMA_NOT_FOUND) {
                throw failure;
            }
            long now = nanoTime.getAsLong();
            if (repeats == 0 && now - quietUntil.get() < 0) {
                throw failure;
            }
            if (repeats == delaysNanos.length || now + delaysNanos[repeats] - deadlineNanos >= 0) {
                quietUntil.set(now + quietNanos);
                throw repeats == 0 ? failure : new SchemaRegistryException(failure.kind(),
                        failure.getMessage() + "; still not found after " + repeats + " more request(s) over "
                                + TimeUnit.NANOSECONDS.toMillis(now - startNanos) + " ms",
                        failure.httpStatus(), failure.errorCode(), null);
            }
            try {
                sleeper.sleep(delaysNanos[repeats]);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SchemaRegistryException(SchemaRegistryException.Kind.UNAVAILABLE,
                        "interrupted while waiting to ask again after: " + failure.getMessage(), 0, 0, e);
            }
            repeats++;
        }
    }
}
