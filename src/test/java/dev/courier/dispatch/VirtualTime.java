package dev.courier.dispatch;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.PriorityQueue;

/**
 * A {@link Scheduler} and {@link Workers} that run everything on the test's thread, in virtual time that moves only
 * when {@link #runUntilIdle} reaches a timer. Dispatch tasks run first; a worker task runs when no dispatch task is
 * left, as if the dispatch thread were quicker than any call; time jumps to the next timer when nothing else is left.
 * Calls take no virtual time unless {@link #callsTake} says otherwise.
 */
final class VirtualTime implements Scheduler {

    static final Instant EPOCH = Instant.parse("2030-01-01T00:00:00Z");
    private static final int MAX_STEPS = 1_000_000;

    private record Timer(long due, long sequence, Runnable task) {
    }

    private final ArrayDeque<Runnable> dispatchTasks = new ArrayDeque<>();
    private final ArrayDeque<Runnable> workerTasks = new ArrayDeque<>();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>((a, b) -> a.due != b.due
            ? Long.compare(a.due, b.due) : Long.compare(a.sequence, b.sequence));
    private long now;
    private long sequence;
    private boolean stopped;
    private long callNanos;

    private final Workers workers = new Workers() {
        @Override
        public void execute(Runnable task) {
            if (stopped) {
                return;
            }
            if (callNanos > 0) {
                schedule(callNanos, task); // the worker is busy for the call's time, then reports
            } else {
                workerTasks.add(task);
            }
        }

        @Override
        public boolean stop(Duration timeout) {
            stopped = true;
            workerTasks.clear();
            return true;
        }
    };

    Workers workers() {
        return workers;
    }

    /**
     * From now on each worker task runs {@code latency} after it was handed over, as if every call took that long
     * (the call is recorded as starting when the task runs, at its end).
     */
    void callsTake(Duration latency) {
        this.callNanos = latency.toNanos();
    }

    /** The wall clock at this virtual time: {@link #EPOCH} plus the time elapsed. */
    Clock clock() {
        return new SchedulerClock(this, EPOCH);
    }

    /** Virtual time elapsed since the start. */
    Duration elapsed() {
        return Duration.ofNanos(now);
    }

    /** Worker tasks handed over and not yet run: the calls "in progress". */
    int workerTasksWaiting() {
        return workerTasks.size();
    }

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public void execute(Runnable task) {
        if (!stopped) {
            dispatchTasks.add(task);
        }
    }

    @Override
    public void schedule(long delayNanos, Runnable task) {
        if (!stopped) {
            timers.add(new Timer(now + delayNanos, sequence++, task));
        }
    }

    @Override
    public boolean stop(Duration timeout) {
        stopped = true;
        dispatchTasks.clear();
        timers.clear();
        return true;
    }

    /** Runs the dispatch tasks given so far and those they give, without running workers or moving time. */
    void runDispatchTasks() {
        for (int steps = 0; !dispatchTasks.isEmpty(); steps++) {
            guard(steps);
            dispatchTasks.poll().run();
        }
    }

    /** Runs the oldest worker task waiting (one call ends), then the dispatch tasks that follows from it. */
    void runOneWorkerTask() {
        workerTasks.poll().run();
        runDispatchTasks();
    }

    /** Runs everything, moving time from timer to timer, until nothing is left to run. */
    void runUntilIdle() {
        runUntil(Duration.ofNanos(Long.MAX_VALUE));
    }

    /** Runs everything due up to {@code elapsed} of virtual time, and leaves the time there (or where it ran out). */
    void runUntil(Duration elapsed) {
        long until = elapsed.toNanos();
        for (int steps = 0; ; steps++) {
            guard(steps);
            if (!dispatchTasks.isEmpty()) {
                dispatchTasks.poll().run();
            } else if (!workerTasks.isEmpty()) {
                workerTasks.poll().run();
            } else if (!timers.isEmpty() && timers.peek().due <= until) {
                Timer timer = timers.poll();
                now = Math.max(now, timer.due);
                timer.task.run();
            } else {
                if (until != Long.MAX_VALUE) {
                    now = Math.max(now, until);
                }
                return;
            }
        }
    }

    private static void guard(int steps) {
        if (steps > MAX_STEPS) {
            throw new AssertionError("still busy after " + MAX_STEPS + " steps: a task loop?");
        }
    }
}
