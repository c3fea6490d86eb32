package dev.courier.engine;

import java.util.Collection;
import java.util.stream.Collectors;

/**
 * Assertions over thousands of events that name how many broke a rule and a few of them, not all:
 * a failing scenario with 20,000 events should still print a readable message.
 */
final class Offenders {

    private static final int SHOWN = 20;

    private Offenders() {}

    /** Fails when {@code offenders} is not empty, with their number and the first few. */
    static void assertNone(String rule, Collection<String> offenders) {
        if (!offenders.isEmpty()) {
            throw new AssertionError(offenders.size() + " events " + rule + ", for example "
                    + offenders.stream().limit(SHOWN).collect(Collectors.joining(", ")));
        }
    }
}
