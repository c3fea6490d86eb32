package dev.courier.dispatch;

import java.util.function.Consumer;

/**
 * Hands jobs to the worker pool, one per free worker; the others wait in a FIFO here, on the dispatch thread, so the
 * pool's own queue never grows. A worker counts as busy from the hand-over until the dispatch thread hears that its
 * attempt ended. Dispatch thread only.
 */
final class WorkerGate<C> {

    private final Workers workers;
    private final int size;
    private final Consumer<Job<C>> attempt;
    private final JobQueue<C> ready = new JobQueue<>();
    private int busy;

    /** @param attempt what a worker does with a job */
    WorkerGate(Workers workers, int size, Consumer<Job<C>> attempt) {
        this.workers = workers;
        this.size = size;
        this.attempt = attempt;
    }

    /** Starts {@code job} on a free worker, or queues it for the next one. */
    void offer(Job<C> job) {
        if (busy < size) {
            busy++;
            start(job);
        } else {
            job.moveTo(Job.Stage.READY);
            ready.add(job);
        }
    }

    /** A worker is done with its job: it takes the next ready job, if any. */
    void freed() {
        Job<C> next = ready.poll();
        if (next == null) {
            busy--;
        } else {
            start(next);
        }
    }

    private void start(Job<C> job) {
        job.moveTo(Job.Stage.RUNNING);
        workers.execute(() -> attempt.accept(job));
    }
}
