package dev.courier.ops;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps a label's values bounded: the first {@code max} distinct values are used as they are, every later one
 * becomes {@value #OTHER}. Values come from events (hosts, rate-limit keys), so without a bound one event stream
 * could make millions of time series. Thread-safe.
 */
final class LabelFolder {

    static final String OTHER = "other";

    private final int max;
    private final Set<String> kept = ConcurrentHashMap.newKeySet();

    /** @param max how many distinct values are kept; at least 1 */
    LabelFolder(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1, got " + max);
        }
        this.max = max;
    }

    /** {@code value} when it is one of the values kept (or there is room for it), else {@value #OTHER}. */
    String fold(String value) {
        if (kept.contains(value)) {
            return value;
        }
        synchronized (this) {
            if (kept.size() < max) {
                kept.add(value);
                return value;
            }
        }
        return kept.contains(value) ? value : OTHER;
    }
}
