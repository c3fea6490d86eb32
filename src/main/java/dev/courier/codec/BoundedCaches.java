package dev.courier.codec;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * The codec's caches, all built one way (Caffeine). Each holds at most {@code maxEntries}; past that, the
 * entries least likely to be used again go first (Caffeine's W-TinyLFU, which weighs how often as well as how
 * recently an entry was used, so a burst of one-off keys does not flush the keys in steady use).
 *
 * <p>Thread-safe. Callers load a missing value themselves, outside the cache ({@code getIfPresent}, then
 * {@code put}), so a slow registry call never blocks a lookup of another key; two threads missing the same key
 * at once may both load it, and the later put wins. Evictions happen on the calling thread during a write: no
 * background thread, nothing to close.
 */
final class BoundedCaches {

    private BoundedCaches() {}

    /** @throws IllegalArgumentException when {@code maxEntries} is below 1 */
    static <K, V> Cache<K, V> of(int maxEntries) {
        return builder(maxEntries).build();
    }

    static Caffeine<Object, Object> builder(int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be at least 1, got " + maxEntries);
        }
        return Caffeine.newBuilder().maximumSize(maxEntries).executor(Runnable::run);
    }
}
