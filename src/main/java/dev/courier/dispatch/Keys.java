package dev.courier.dispatch;

import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The {@link KeyState} of every key the dispatcher knows. A key with a job in the dispatcher is always kept; the
 * others (idle) are kept in the order they became idle, and beyond {@code maxKeys} keys in all the one idle longest
 * is forgotten. So the table holds at most {@code maxKeys} keys plus those with jobs (which the in-flight bound and
 * the parking bound limit), and making room costs the same however many keys have jobs. A forgotten key that comes
 * back starts afresh: a full bucket at its configured rate, no pause. A timer still set for a forgotten key finds its
 * queue empty and does nothing. Dispatch thread only.
 */
final class Keys<C> {

    private final int maxKeys;
    private final Function<String, KeyState<C>> create;
    private final Map<String, KeyState<C>> table = new HashMap<>();
    /** The keys without a job, the one idle longest first. */
    private final Map<String, KeyState<C>> idle = new LinkedHashMap<>();

    /** @param create makes the state of a key seen for the first time (or again after it was forgotten) */
    Keys(int maxKeys, Function<String, KeyState<C>> create) {
        this.maxKeys = maxKeys;
        this.create = create;
    }

    /**
     * The state of {@code name}, for a job of it that enters: made when the key is not known (the key idle longest
     * is forgotten first when the table is full), and no longer idle.
     */
    KeyState<C> get(String name) {
        KeyState<C> key = table.get(name);
        if (key == null) {
            key = create.apply(name);
            trim(maxKeys - 1);
            table.put(name, key);
        } else {
            idle.remove(name);
        }
        return key;
    }

    /** The last job of {@code key} left: it may be forgotten from now on, once it is the one idle longest. */
    void idle(KeyState<C> key) {
        if (table.get(key.name) == key) {
            idle.put(key.name, key);
            trim(maxKeys);
        }
    }

    /** The state of {@code name}, or null when it is not known; does not count as a use. */
    KeyState<C> peek(String name) {
        return table.get(name);
    }

    /** The keys known now. */
    int size() {
        return table.size();
    }

    void forEach(Consumer<KeyState<C>> action) {
        table.values().forEach(action);
    }

    /** Forgets the keys idle longest while the table holds more than {@code bound}. */
    private void trim(int bound) {
        Iterator<KeyState<C>> longestIdleFirst = idle.values().iterator();
        while (table.size() > bound && longestIdleFirst.hasNext()) {
            KeyState<C> key = longestIdleFirst.next();
            longestIdleFirst.remove();
            table.remove(key.name);
        }
    }
}
