package dev.courier.sandbox;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The registry's compatibility settings: one global level ({@link Compatibility#DEFAULT} until set) and the levels
 * set for single subjects, which override it. Subject levels outlive the subject's versions, as in Confluent's
 * registry. Thread-safe.
 */
final class CompatibilityConfig {

    private volatile Compatibility global = Compatibility.DEFAULT;
    private final ConcurrentMap<String, Compatibility> bySubject = new ConcurrentHashMap<>();

    Compatibility global() {
        return global;
    }

    void setGlobal(Compatibility level) {
        global = level;
    }

    /** The level set for {@code subject} itself, if any. */
    Optional<Compatibility> subject(String subject) {
        return Optional.ofNullable(bySubject.get(subject));
    }

    void setSubject(String subject, Compatibility level) {
        bySubject.put(subject, level);
    }

    /** The level that applies to {@code subject}: its own, or the global one. */
    Compatibility effective(String subject) {
        return bySubject.getOrDefault(subject, global);
    }
}
