package dev.courier.dispatch;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the dispatcher knows of each rate-limit key and each host at one moment, for metrics, the health check and
 * tests: see {@link Dispatcher#state()}. Rates are this instance's, per second, 0 for no limit.
 *
 * @param keys  every key the dispatcher keeps state for (at most {@code courier.rate.max-keys} plus those with
 *              events in the dispatcher)
 * @param hosts every host the dispatcher keeps state for (as many at most)
 */
public record DispatchState(List<KeyStatus> keys, List<HostStatus> hosts) {

    public DispatchState {
        keys = List.copyOf(keys);
        hosts = List.copyOf(hosts);
    }

    /**
     * One rate-limit key: a budget events draw from.
     *
     * @param key            the rate-limit key
     * @param configuredRate this instance's share of the key's configured rate; 0 for none
     * @param events         its events in the dispatcher, counted in flight and parked
     * @param parked         its events parked beyond {@code courier.max-in-flight-per-key}
     */
    public record KeyStatus(String key, double configuredRate, int events, int parked) {
    }

    /**
     * One host (an origin: {@code scheme://host:port}).
     *
     * @param host        the origin
     * @param currentRate the rate it may be called at now, after adaptation to its answers; 0 for no limit
     * @param pausedFor   how long its pause (after Retry-After or a rate-limit field) still lasts; zero when none
     * @param circuit     its circuit: {@code CLOSED}, {@code OPEN} or {@code HALF_OPEN}
     * @param waiting     its events waiting for its circuit, its pause or its adaptive rate
     * @param openFor     how long since its circuit opened, while it is not closed again; zero otherwise
     */
    public record HostStatus(String host, double currentRate, Duration pausedFor, String circuit, int waiting,
            Duration openFor) {
    }

    /** The status of {@code key}, or null when the dispatcher keeps none for it. */
    public KeyStatus key(String key) {
        return keys.stream().filter(status -> status.key().equals(key)).findFirst().orElse(null);
    }

    /** The status of host {@code origin}, or null when the dispatcher keeps none for it. */
    public HostStatus host(String origin) {
        return hosts.stream().filter(status -> status.host().equals(origin)).findFirst().orElse(null);
    }

    /** The state of each host's circuit, by origin. */
    public Map<String, String> circuits() {
        Map<String, String> circuits = new LinkedHashMap<>();
        hosts.forEach(host -> circuits.put(host.host(), host.circuit()));
        return circuits;
    }
}
