package dev.courier.dispatch;

import java.time.Duration;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The production {@link Scheduler}: one daemon thread named {@code courier-dispatch} and {@link System#nanoTime()}.
 * Tasks go into a lock-free queue that the thread drains in order, so the workers and the intake thread that post
 * to it never wait for one another; timers are kept in a heap that only the thread touches. The thread parks when
 * there is nothing to run until the next timer, and a task posted meanwhile wakes it. A task that throws is logged
 * and the thread goes on with the next one.
 */
final class ThreadScheduler implements Scheduler {

    static final String THREAD_NAME = "courier-dispatch";
    private static final Logger LOG = LoggerFactory.getLogger(ThreadScheduler.class);
    /** Tasks run between two looks at the timers, so a burst of tasks does not hold due timers back. */
    private static final int BATCH = 1024;

    private record Timer(long due, long sequence, Runnable task) {
    }

    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    /** The thread's only. */
    private final PriorityQueue<Timer> timers = new PriorityQueue<>((a, b) -> a.due != b.due
            ? Long.compare(a.due - b.due, 0) : Long.compare(a.sequence, b.sequence));
    private final Thread thread;
    private long sequence;
    private volatile boolean sleeping;
    private volatile boolean stopped;

    ThreadScheduler() {
        thread = new Thread(this::loop, THREAD_NAME);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public void execute(Runnable task) {
        if (stopped) {
            return;
        }
        tasks.offer(task);
        if (sleeping) {
            LockSupport.unpark(thread);
        }
    }

    @Override
    public void schedule(long delayNanos, Runnable task) {
        long due = System.nanoTime() + Math.max(0, delayNanos);
        if (Thread.currentThread() == thread) {
            timers.add(new Timer(due, sequence++, task));
        } else {
            execute(() -> timers.add(new Timer(due, sequence++, task)));
        }
    }

    @Override
    public boolean stop(Duration timeout) throws InterruptedException {
        stopped = true;
        tasks.clear();
        thread.interrupt();
        thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(timeout.toNanos())));
        return !thread.isAlive();
    }

    private void loop() {
        while (!stopped) {
            long now = System.nanoTime();
            Timer timer = timers.peek();
            while (timer != null && timer.due - now <= 0 && !stopped) {
                timers.poll();
                run(timer.task);
                timer = timers.peek();
            }
            int ran = 0;
            Runnable task;
            while (ran < BATCH && !stopped && (task = tasks.poll()) != null) {
                run(task);
                ran++;
            }
            if (ran > 0) {
                continue;
            }
            sleeping = true;
            if (tasks.isEmpty() && !stopped) {
                timer = timers.peek();
                if (timer == null) {
                    LockSupport.park(this);
                } else {
                    long wait = timer.due - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(this, wait);
                    }
                }
            }
            sleeping = false;
            Thread.interrupted(); // a stop's interrupt is read from stopped; a task's own has no one to tell
        }
        tasks.clear();
        timers.clear();
    }

    private static void run(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException | Error e) {
            LOG.error("A dispatcher task failed; the dispatcher goes on, but its state may be off", e);
        }
    }
}
