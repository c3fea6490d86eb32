package dev.courier.intake;

import dev.courier.model.Backoff;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Intake's wait after the schema registry could not be asked: no record is decoded until it is over. The wait
 * starts at 1 s and doubles, up to 30 s, while the registry keeps failing. Intake thread only.
 */
final class RegistryRetry {

    private static final Backoff WAITS = Backoff.withoutJitter(Duration.ofSeconds(1), Duration.ofSeconds(30));

    private final LongSupplier nanoTime;
    private int failures;
    private long waitUntil;

    RegistryRetry(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    boolean isWaiting() {
        return failures > 0 && nanoTime.getAsLong() - waitUntil < 0;
    }

    /** The registry failed again; returns how long intake waits before the next try. */
    Duration failed() {
        Duration wait = WAITS.next(++failures);
        waitUntil = nanoTime.getAsLong() + wait.toNanos();
        return wait;
    }

    void succeeded() {
        failures = 0;
    }
}
