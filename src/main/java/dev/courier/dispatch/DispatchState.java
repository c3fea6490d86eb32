package dev.courier.dispatch;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What the dispatcher knows of each rate-limit key and each host at one moment, for metrics and tests: see
 * {@link Dispatcher#state()}. Rates are this instance's, per second, 0 for no limit.
 *
 * @param keys     every key the dispatcher keeps state for (at most {@code courier.rate.max-keys} plus those with
 *                 events in the dispatcher)
 * @param circuits the state of each host's circuit ({@code CLOSED}, {@code OPEN}, {@code HALF_OPEN}), by host
 */
public record DispatchState(List<KeyStatus> keys, Map<String, String> circuits) {

    public DispatchState {
        keys = List.copyOf(keys);
        circuits = Map.copyOf(circuits);
    }

    /**
     * One key.
     *
     * @param key            the rate-limit key
     * @param configuredRate this instance's share of the key's configured rate; 0 for none
     * @param currentRate    the rate it may make attempts at now, after adaptation; 0 for no limit
     * @param pausedFor      how long its pause still lasts; zero when it is not paused
     * @param events         its events in the dispatcher, counted in flight and parked
     * @param parked         its events parked beyond {@code courier.max-in-flight-per-key}
     */
    public record KeyStatus(String key, double configuredRate, double currentRate, Duration pausedFor, int events,
            int parked) {
    }

    /** The status of {@code key}, or null when the dispatcher keeps none for it. */
    public KeyStatus key(String key) {
        return keys.stream().filter(status -> status.key().equals(key)).findFirst().orElse(null);
    }
}
