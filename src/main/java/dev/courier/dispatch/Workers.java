package dev.courier.dispatch;

import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * The worker pool that makes the blocking HTTP calls. The dispatcher hands it a task only while it has a free
 * thread, so it needs no queue beyond one slot per thread. Production uses {@link WorkerThreads}; tests use a
 * manual one that runs the tasks when the test says so.
 */
interface Workers extends Executor {

    /**
     * Runs no more tasks, interrupts the running ones and waits up to {@code timeout} for them to end.
     *
     * @return whether every worker ended within the timeout
     * @throws InterruptedException when the caller is interrupted while waiting
     */
    boolean stop(Duration timeout) throws InterruptedException;
}
