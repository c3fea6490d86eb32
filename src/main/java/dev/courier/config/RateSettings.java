package dev.courier.config;

import java.util.Map;

/**
 * Token-bucket rate limits on HTTP attempts, and how they adapt. A rate of 0 means no limit. In
 * {@link RateScope#GROUP} scope each rate is the budget of the whole consumer group; the dispatcher applies this
 * instance's share of it.
 *
 * @param global        attempts per second across all events
 * @param globalBurst   attempts the global bucket holds, so a quiet period allows this many at once; 0 for one
 *                      second of the rate
 * @param perKey        attempts per second for each rate-limit key (the event's rateLimitKey, else the host)
 * @param perKeyBurst   attempts each key's bucket holds; 0 for one second of the key's rate
 * @param overrides     per-key rates that replace {@code perKey} for those keys (typically hosts)
 * @param maxKeys       keys whose state (bucket, adaptive rate, pause, circuit) is kept while they have no event in
 *                      the dispatcher; the least recently used is forgotten beyond it
 * @param scope         whose budget the rates are
 * @param adaptive      how a key's rate follows its pushback
 */
public record RateSettings(double global, int globalBurst, double perKey, int perKeyBurst,
        Map<String, Double> overrides, int maxKeys, RateScope scope, Adaptive adaptive) {

    /**
     * Additive increase, multiplicative decrease of each key's rate.
     *
     * @param enabled        whether keys adapt at all
     * @param decreaseFactor what a key's rate is multiplied by on a 429, a 503 or a timeout
     * @param floor          the lowest rate a decrease reaches, per second
     * @param increaseAfter  successes in a row after which a step of the rate is given back
     */
    public record Adaptive(boolean enabled, double decreaseFactor, double floor, int increaseAfter) {

    }

    public RateSettings {
        overrides = Map.copyOf(overrides);
    }

    /** The rate-limit key of named target {@code target}'s own bucket ({@code courier.targets.NAME.rate}). */
    public static String targetKey(String target) {
        return "target:" + target;
    }

    /**
     * The key whose bucket an attempt draws from: its named target's, when that target has a rate of its own
     * (whatever key the event asked for, so events cannot escape it), else {@code rateLimitKey}.
     *
     * @param target the event's named target, or null for a free URL
     */
    public String keyFor(String target, String rateLimitKey) {
        if (target != null && overrides.containsKey(targetKey(target))) {
            return targetKey(target);
        }
        return rateLimitKey;
    }

    /** The per-second rate for {@code key}: its override, else {@code perKey}; 0 means no limit. */
    public double rateFor(String key) {
        return overrides.getOrDefault(key, perKey);
    }

    /** Tokens the global bucket holds, at {@code share} of the budget. */
    public long globalCapacity(double share) {
        return capacity(globalBurst, global, share);
    }

    /** Tokens the bucket of a key with configured rate {@code keyRate} holds, at {@code share} of the budget. */
    public long perKeyCapacity(double keyRate, double share) {
        return capacity(perKeyBurst, keyRate, share);
    }

    /** Tokens the global bucket holds. */
    public long globalCapacity() {
        return globalCapacity(1);
    }

    /** Tokens the bucket of a key with rate {@code keyRate} holds. */
    public long perKeyCapacity(double keyRate) {
        return perKeyCapacity(keyRate, 1);
    }

    /** A burst of {@code burst}, else one second of the rate, scaled by {@code share}; at least one token. */
    private static long capacity(int burst, double rate, double share) {
        return Math.max(1, burst > 0 ? Math.round(burst * share) : (long) Math.ceil(rate * share));
    }
}
