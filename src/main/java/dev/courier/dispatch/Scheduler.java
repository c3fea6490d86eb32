package dev.courier.dispatch;

import java.time.Duration;

/**
 * The dispatch thread and the time it keeps. Every task given to a scheduler runs on its one thread, in the order
 * given (delayed tasks once their delay has passed), so the state those tasks share needs no locks. Production uses
 * {@link ThreadScheduler}; tests use a virtual one whose time moves only when the test moves it.
 *
 * <p>{@link #execute} and {@link #schedule} may be called from any thread; after {@link #stop} they drop the task.
 */
interface Scheduler {

    /** A reading of a monotonic clock, in nanoseconds; only differences between readings mean anything. */
    long nanoTime();

    /** Runs {@code task} on the dispatch thread, after the tasks already given. */
    void execute(Runnable task);

    /** Runs {@code task} on the dispatch thread once {@code delayNanos} have passed. */
    void schedule(long delayNanos, Runnable task);

    /**
     * Runs no more tasks and drops the pending ones, then waits up to {@code timeout} for the running one.
     *
     * @return whether the dispatch thread ended within the timeout
     * @throws InterruptedException when the caller is interrupted while waiting
     */
    boolean stop(Duration timeout) throws InterruptedException;
}
