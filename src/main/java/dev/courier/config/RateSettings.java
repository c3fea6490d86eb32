package dev.courier.config;

import java.util.Map;

/**
 * Token-bucket rate limits on HTTP attempts. A rate of 0 means no limit.
 *
 * @param global        attempts per second across all events
 * @param globalBurst   attempts the global bucket holds, so a quiet period allows this many at once; 0 for one
 *                      second of the rate
 * @param perKey        attempts per second for each rate-limit key (the event's rateLimitKey, else the host)
 * @param perKeyBurst   attempts each key's bucket holds; 0 for one second of the key's rate
 * @param overrides     per-key rates that replace {@code perKey} for those keys (typically hosts)
 * @param maxKeys       buckets kept at once; the least recently used is dropped beyond it
 */
public record RateSettings(double global, int globalBurst, double perKey, int perKeyBurst,
        Map<String, Double> overrides, int maxKeys) {

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

    /** Tokens the global bucket holds. */
    public long globalCapacity() {
        return capacity(globalBurst, global);
    }

    /** Tokens the bucket of a key with rate {@code keyRate} holds. */
    public long perKeyCapacity(double keyRate) {
        return capacity(perKeyBurst, keyRate);
    }

    private static long capacity(int burst, double rate) {
        return burst > 0 ? burst : Math.max(1, (long) Math.ceil(rate));
    }
}
