package dev.courier.dispatch;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The {@link KeyState} of every key the dispatcher knows, in least recently used order. A key with a job in the
 * dispatcher, or a timer set, is always kept; beyond {@code maxKeys} the least recently used of the others are
 * forgotten. So the table holds at most {@code maxKeys} keys plus those with jobs (which the in-flight bound and the
 * parking bound limit). A forgotten key that comes back starts afresh: a full bucket at its configured rate, no pause.
 * Dispatch thread only.
 */
final class Keys<C> {

    private final int maxKeys;
    private final Function<String, KeyState<C>> create;
    private final Map<String, KeyState<C>> table = new LinkedHashMap<>(16, 0.75f, true);

    /** @param create makes the state of a key seen for the first time (or again after it was forgotten) */
    Keys(int maxKeys, Function<String, KeyState<C>> create) {
        this.maxKeys = maxKeys;
        this.create = create;
    }

    /** The state of {@code name}, made when it is not known; the table then forgets idle keys beyond its bound. */
    KeyState<C> get(String name) {
        KeyState<C> key = table.get(name);
        if (key == null) {
            key = create.apply(name);
            // room is made first: the new key has no job yet, and must not be the one forgotten
            trim(maxKeys - 1);
            table.put(name, key);
        }
        return key;
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

    /**
     * Forgets the least recently used idle keys while the table is over its bound. Called when a key is added and
     * when one becomes idle, so a key held over the bound by its jobs is forgotten as soon as it has none.
     */
    void trim() {
        trim(maxKeys);
    }

    private void trim(int bound) {
        if (table.size() <= bound) {
            return;
        }
        Iterator<KeyState<C>> eldestFirst = table.values().iterator();
        while (table.size() > bound && eldestFirst.hasNext()) {
            if (eldestFirst.next().isIdle()) {
                eldestFirst.remove();
            }
        }
    }
}
