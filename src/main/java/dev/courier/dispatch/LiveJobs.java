package dev.courier.dispatch;

import java.util.function.Consumer;

/**
 * The jobs submitted and not yet finished or abandoned, linked through {@link Job#previousLive} and
 * {@link Job#nextLive}, so that {@code abandon} can find them; adding and removing allocate nothing. Dispatch thread
 * only.
 */
final class LiveJobs<C> {

    private Job<C> first;

    void add(Job<C> job) {
        job.previousLive = null;
        job.nextLive = first;
        if (first != null) {
            first.previousLive = job;
        }
        first = job;
    }

    /** Removes {@code job}; does nothing when it is not here. */
    void remove(Job<C> job) {
        if (job.previousLive == null && first != job) {
            return;
        }
        if (job.previousLive == null) {
            first = job.nextLive;
        } else {
            job.previousLive.nextLive = job.nextLive;
        }
        if (job.nextLive != null) {
            job.nextLive.previousLive = job.previousLive;
        }
        job.previousLive = null;
        job.nextLive = null;
    }

    /** Gives each job to {@code action}, which may remove it. */
    void forEach(Consumer<Job<C>> action) {
        Job<C> job = first;
        while (job != null) {
            Job<C> next = job.nextLive;
            action.accept(job);
            job = next;
        }
    }
}
