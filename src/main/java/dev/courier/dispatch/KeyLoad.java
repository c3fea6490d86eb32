package dev.courier.dispatch;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * How many events of each rate-limit key are in the dispatcher, for the threads that submit: the first
 * {@code perKey} of a key count in flight, the rest are parked. A key may have as many parked as counted, and all
 * keys together at most {@code maxParked}; {@link #hasRoom} says whether another event of a key fits. Holds an
 * entry per key with an event in the dispatcher only. Thread-safe and lock-free: an entry is a counter that the
 * thread which takes it to zero retires (and removes), so a concurrent increment of a retired counter retries on a
 * fresh one.
 */
final class KeyLoad {

    /** A key's events in the dispatcher; -1 once retired. Each event keeps the one it entered with, to leave it. */
    static final class Count extends AtomicInteger {

        private final String key;

        Count(String key) {
            this.key = key;
        }
    }

    private static final Function<String, Count> NEW = Count::new;

    private final int perKey;
    private final int maxParked;
    private final ConcurrentHashMap<String, Count> counts = new ConcurrentHashMap<>();
    private final AtomicInteger parked = new AtomicInteger();

    KeyLoad(int perKey, int maxParked) {
        this.perKey = perKey;
        this.maxParked = maxParked;
    }

    /**
     * An event of {@code key} entered the dispatcher.
     *
     * @return what the event gives back to {@link #left} when it leaves
     */
    Count entered(String key) {
        while (true) {
            Count count = counts.computeIfAbsent(key, NEW);
            int events = count.get();
            if (events >= 0 && count.compareAndSet(events, events + 1)) {
                if (events + 1 > perKey) {
                    parked.incrementAndGet();
                }
                return count;
            }
            if (events < 0) {
                counts.remove(key, count); // retired by another thread: its removal may not have happened yet
            }
        }
    }

    /** An event that {@link #entered} with {@code count} left the dispatcher (finished or abandoned). */
    void left(Count count) {
        int events = count.decrementAndGet();
        if (events + 1 > perKey) {
            parked.decrementAndGet();
        }
        if (events == 0 && count.compareAndSet(0, -1)) {
            counts.remove(count.key, count);
        }
    }

    /** Whether another event of {@code key} may enter: it would count in flight, or there is room to park it. */
    boolean hasRoom(String key) {
        Count count = counts.get(key);
        int events = count == null ? 0 : Math.max(0, count.get());
        return events < perKey || (events < 2 * perKey && parked.get() < maxParked);
    }

    /** Events parked now, across keys. */
    int parked() {
        return parked.get();
    }
}
