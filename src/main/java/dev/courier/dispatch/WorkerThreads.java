package dev.courier.dispatch;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The production {@link Workers}: a fixed pool of daemon threads named {@code courier-http-1},
 * {@code courier-http-2}, and so on. Its queue holds one task per thread, enough because the dispatcher hands over a
 * task only for a thread it counts as free (a thread may still be on its way back to the queue); a task beyond that
 * is refused with an exception, which would be a bug in the dispatcher.
 */
final class WorkerThreads implements Workers {

    static final String THREAD_PREFIX = "courier-http-";

    private final ThreadPoolExecutor pool;

    WorkerThreads(int threads) {
        AtomicInteger counter = new AtomicInteger();
        pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(threads),
                task -> {
                    Thread thread = new Thread(task, THREAD_PREFIX + counter.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
    }

    @Override
    public void execute(Runnable task) {
        pool.execute(task);
    }

    @Override
    public boolean stop(Duration timeout) throws InterruptedException {
        pool.shutdownNow();
        return pool.awaitTermination(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }
}
