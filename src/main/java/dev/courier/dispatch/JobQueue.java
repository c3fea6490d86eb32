package dev.courier.dispatch;

/**
 * A FIFO of jobs linked through {@link Job#nextQueued}, so queueing allocates nothing. Abandoned jobs are left in
 * place and skipped when they reach the head. Dispatch thread only.
 */
final class JobQueue<C> {

    private Job<C> head;
    private Job<C> tail;

    void add(Job<C> job) {
        job.nextQueued = null;
        if (tail == null) {
            head = job;
        } else {
            tail.nextQueued = job;
        }
        tail = job;
    }

    /** The first job that is not abandoned, left in the queue; null when there is none. */
    Job<C> peek() {
        while (head != null && head.isAbandoned()) {
            removeHead();
        }
        return head;
    }

    /** Removes and returns the first job that is not abandoned; null when there is none. */
    Job<C> poll() {
        Job<C> job = peek();
        if (job != null) {
            removeHead();
        }
        return job;
    }

    /** Whether the queue holds no job, abandoned ones included. */
    boolean isEmpty() {
        return head == null;
    }

    private void removeHead() {
        Job<C> job = head;
        head = job.nextQueued;
        job.nextQueued = null;
        if (head == null) {
            tail = null;
        }
    }

    /** Gives each job that is not abandoned to {@code action}, in order; {@code action} must not change the queue. */
    void forEach(java.util.function.Consumer<Job<C>> action) {
        for (Job<C> job = head; job != null; job = job.nextQueued) {
            if (!job.isAbandoned()) {
                action.accept(job);
            }
        }
    }

    /**
     * Takes out the jobs that match {@code which}, in order, and gives each to {@code taken} once it is out of the
     * queue; abandoned jobs are dropped on the way.
     */
    void removeIf(java.util.function.Predicate<Job<C>> which, java.util.function.Consumer<Job<C>> taken) {
        Job<C> previous = null;
        Job<C> job = head;
        while (job != null) {
            Job<C> next = job.nextQueued;
            if (job.isAbandoned() || which.test(job)) {
                if (previous == null) {
                    head = next;
                } else {
                    previous.nextQueued = next;
                }
                if (tail == job) {
                    tail = previous;
                }
                job.nextQueued = null;
                if (!job.isAbandoned()) {
                    taken.accept(job);
                }
            } else {
                previous = job;
            }
            job = next;
        }
    }
}
