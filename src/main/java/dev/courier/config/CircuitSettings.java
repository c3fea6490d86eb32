package dev.courier.config;

import java.time.Duration;

/**
 * The circuit breaker of each host: after {@code failureRatio} of the last {@code window} calls failed (a failure to
 * connect, a timeout, a 5xx), calls to the host stop for {@code openWait}; then {@code probes} calls test it, and
 * their results close the circuit again or open it for another wait.
 *
 * @param window       calls whose results are counted, the last ones to end; 0 turns the breaker off
 * @param failureRatio the share of failed calls, from 0 (exclusive) to 1, that opens the circuit
 * @param openWait     how long an open circuit lets no call through before it is probed
 * @param probes       calls let through to probe a circuit after its wait
 */
public record CircuitSettings(int window, double failureRatio, Duration openWait, int probes) {

    /** Whether hosts have circuits at all. */
    public boolean enabled() {
        return window > 0;
    }
}
