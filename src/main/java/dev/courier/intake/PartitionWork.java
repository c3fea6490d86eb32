package dev.courier.intake;

import dev.courier.config.Durations;
import dev.courier.dispatch.Dispatcher;
import dev.courier.publish.Origin;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The events of some partitions in the dispatcher, as a rebalance or a redo deals with them: abandoned at once,
 * or drained (calls in progress finish and publish within a timeout, the rest are abandoned). Intake thread.
 */
final class PartitionWork {

    private static final Logger LOG = LoggerFactory.getLogger(PartitionWork.class);
    /** How long the dispatch thread may take to act on a request; it only posts work, so this is generous. */
    private static final Duration DISPATCH_THREAD_WAIT = Duration.ofSeconds(5);

    private final Dispatcher<Origin> dispatcher;
    private final OffsetTracker tracker;
    private final LongSupplier nanoTime;
    private final BooleanSupplier stopDue;

    /**
     * @param nanoTime a monotonic clock, in nanoseconds
     * @param stopDue  whether a drain must end now because the engine is stopping and its shutdown must keep its
     *                 bound (any thread may make it true)
     */
    PartitionWork(Dispatcher<Origin> dispatcher, OffsetTracker tracker, LongSupplier nanoTime,
            BooleanSupplier stopDue) {
        this.dispatcher = dispatcher;
        this.tracker = tracker;
        this.nanoTime = nanoTime;
        this.stopDue = stopDue;
    }

    /** Abandons every event of {@code partitions} in the dispatcher: they get no outcome from this instance. */
    void abandon(Set<TopicPartition> partitions) {
        try {
            dispatcher.abandon(origin -> partitions.contains(OutcomeRouter.partition(origin)))
                    .get(DISPATCH_THREAD_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("Abandoning the events of {} failed: {}", partitions, e.toString());
        }
    }

    /**
     * Lets the calls in progress of {@code partitions} finish and their outcomes be covered, at most
     * {@code timeout}, and no longer than the engine's stop allows (a drain that a stop overtakes ends at the stop's
     * deadline); events not in a call are abandoned at once. Runs {@code meanwhile} at least every {@code tick}
     * while it waits (intake commits the partitions it keeps, so their transaction does not time out).
     *
     * @return whether every event of the partitions settled in time
     */
    boolean drain(Set<TopicPartition> partitions, Duration timeout, Duration tick, Runnable meanwhile) {
        long deadline = nanoTime.getAsLong() + timeout.toNanos();
        try {
            dispatcher.drain(origin -> partitions.contains(OutcomeRouter.partition(origin)))
                    .get(DISPATCH_THREAD_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            while (tracker.unsettled(partitions) > 0) {
                long remaining = deadline - nanoTime.getAsLong();
                if (remaining <= 0) {
                    LOG.warn("Calls for {} did not finish within {}; the next owner will redo them", partitions,
                            Durations.format(timeout));
                    return false;
                }
                if (stopDue.getAsBoolean()) {
                    LOG.warn("Calls for {} did not finish before the stop's drain deadline; the next owner will redo"
                            + " them", partitions);
                    return false;
                }
                tracker.awaitSettled(partitions, Duration.ofNanos(Math.min(remaining, tick.toNanos())));
                meanwhile.run();
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("Draining {} failed: {}", partitions, e.toString());
        }
        return false;
    }
}
