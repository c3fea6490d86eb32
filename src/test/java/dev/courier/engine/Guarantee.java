package dev.courier.engine;

import java.util.Map;

/**
 * The delivery guarantee a scenario runs under, and the settings that choose it. Scenarios are
 * parameterised by it ({@code @EnumSource(Guarantee.class)}) so each one is checked in both modes.
 */
enum Guarantee {

    /** The default: every event gets an outcome; a crash may give the events in flight a second one. */
    AT_LEAST_ONCE("at-least-once"),

    /** A transactional producer: a read_committed reader sees exactly one outcome per event, crashes included. */
    EXACTLY_ONCE("exactly-once");

    private final String value;

    Guarantee(String value) {
        this.value = value;
    }

    boolean exactlyOnce() {
        return this == EXACTLY_ONCE;
    }

    /**
     * The settings of an instance in this mode. {@code transactionalId} must be stable across restarts of
     * one instance and distinct between instances, so a restarted instance fences its predecessor's open
     * transaction at once.
     */
    Map<String, String> settings(String transactionalId) {
        return exactlyOnce()
                ? Map.of("courier.delivery.guarantee", value, "courier.transactional-id", transactionalId)
                : Map.of("courier.delivery.guarantee", value);
    }

    @Override
    public String toString() {
        return value;
    }
}
