package dev.courier.config;

import java.time.Duration;

/**
 * How the engine takes work and runs it.
 *
 * @param workers        threads that make HTTP calls: the most calls in progress at once
 * @param maxInFlight    events taken from Kafka and not yet finished; at this bound intake pauses
 * @param ordering       which events must run one at a time
 * @param commitInterval how often consumed offsets are committed
 * @param commitTimeout  how long one commit may block (each step of a transaction in exactly-once mode)
 * @param drainTimeout   on shutdown or revocation, how long in-flight events get to finish
 * @param maxInFlightPerKey events of one rate-limit key that count in flight; the key's further events are parked
 */
public record DispatchSettings(int workers, int maxInFlight, Ordering ordering, Duration commitInterval,
        Duration commitTimeout, Duration drainTimeout, int maxInFlightPerKey) {

    /** The defaults' per-key share of {@code maxInFlight}: a quarter, at least one. */
    public static int defaultPerKey(int maxInFlight) {
        return Math.max(1, maxInFlight / 4);
    }
}
