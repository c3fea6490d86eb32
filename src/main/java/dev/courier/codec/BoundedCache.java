package dev.courier.codec;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A map holding at most {@code maxEntries}; past that, the least recently used entry is
 * evicted. Thread-safe: every operation takes the instance's lock. Loading a missing value is
 * left to the caller, outside the lock, so a slow registry call never blocks other keys; two
 * threads missing the same key at once may both load it, and the later put wins.
 */
final class BoundedCache<K, V> {
    private final int maxEntries;
    private final Map<K, V> entries;

    BoundedCache(int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be at least 1, got " + maxEntries);
        }
        this.maxEntries = maxEntries;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > BoundedCache.this.maxEntries;
            }
        };
    }

    /** Returns the cached value, or null; a hit makes the entry the most recently used. */
    synchronized V get(K key) {
        return entries.get(key);
    }

    synchronized void put(K key, V value) {
        entries.put(key, value);
    }

    synchronized int size() {
        return entries.size();
    }

    int maxEntries() {
        return maxEntries;
    }
}
