package dev.courier.engine;

import java.time.Duration;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * Repeats a start-up step that timed out waiting for Kafka, as long as the start-up may wait for the cluster
 * ({@code courier.connect-timeout}): a broker restarting while Courier starts is a wait, not an error. Each try
 * bounds itself (by the client's own {@code max.block.ms}); the step must be safe to repeat. Stateless.
 */
final class StartRetry {

    private StartRetry() {
    }

    /**
     * The step's value, once a try does not time out.
     *
     * @param within  how long the tries may go on, counted from the first
     * @param gaveUp  the error when the last try, begun within that time, timed out too
     * @throws EngineException from {@code gaveUp}
     */
    static <T> T untilTimeout(Duration within, Supplier<T> step,
            Function<TimeoutException, EngineException> gaveUp, LongSupplier nanoTime) {
        long deadline = nanoTime.getAsLong() + within.toNanos();
        while (true) {
            try {
                return step.get();
            } catch (TimeoutException e) {
                if (nanoTime.getAsLong() - deadline >= 0) {
                    throw gaveUp.apply(e);
                }
            }
        }
    }
}
