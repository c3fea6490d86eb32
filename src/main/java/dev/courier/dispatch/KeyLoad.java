package dev.courier.dispatch;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many events of each rate-limit key are in the dispatcher, for the threads that submit: the first
 * {@code perKey} of a key count in flight, the rest are parked. A key may have as many parked as counted, and all
 * keys together at most {@code maxParked}; {@link #hasRoom} says whether another event of a key fits. Holds an
 * entry per key with an event in the dispatcher only. Thread-safe.
 */
final class KeyLoad {

    private final int perKey;
    private final int maxParked;
    private final ConcurrentHashMap<String, Integer> counts = new ConcurrentHashMap<>();
    private final AtomicInteger parked = new AtomicInteger();

    KeyLoad(int perKey, int maxParked) {
        this.perKey = perKey;
        this.maxParked = maxParked;
    }

    /** An event of {@code key} entered the dispatcher. */
    void entered(String key) {
        if (counts.merge(key, 1, Integer::sum) > perKey) {
            parked.incrementAndGet();
        }
    }

    /** An event of {@code key} left the dispatcher (finished or abandoned). */
    void left(String key) {
        int[] before = new int[1];
        counts.computeIfPresent(key, (k, count) -> {
            before[0] = count;
            return count <= 1 ? null : count - 1;
        });
        if (before[0] > perKey) {
            parked.decrementAndGet();
        }
    }

    /** Whether another event of {@code key} may enter: it would count in flight, or there is room to park it. */
    boolean hasRoom(String key) {
        int count = counts.getOrDefault(key, 0);
        return count < perKey || (count < 2 * perKey && parked.get() < maxParked);
    }

    /** Events parked now, across keys. */
    int parked() {
        return parked.get();
    }
}
