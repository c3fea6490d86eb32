package dev.courier.dispatch;

/**
 * Keeps a quarter of the workers for the other keys: at most {@code courier.workers} less a quarter of them (rounded
 * down) of one rate-limit key's jobs hold a worker, or wait in line for one, at once; the key's jobs beyond it wait
 * here, first come first served, until one of its attempts ends. A key whose calls are slow (or never answer) thus
 * cannot take every worker, and the other keys' calls keep going. With fewer than four workers a key may take them
 * all.
 *
 * <p>The state is kept on each job's {@link KeyState}, which lives while the key has a job in the dispatcher. Dispatch
 * thread only.
 */
final class KeyWorkerGate<C> {

    private final int limit;

    KeyWorkerGate(int workers) {
        this.limit = Math.max(1, workers - workers / 4);
    }

    /** Whether {@code job} may go on to a worker now; when not, it waits for its key's next attempt to end. */
    boolean enter(Job<C> job) {
        KeyState<C> key = job.key;
        if (key == null) {
            return true;
        }
        if (key.withWorker < limit) {
            key.withWorker++;
            job.holdsKeyWorker = true;
            return true;
        }
        job.moveTo(Job.Stage.READY);
        key.waitingForWorker.add(job);
        return false;
    }

    /**
     * Gives back the place {@code job} holds, if it holds one.
     *
     * @return the next waiting job of the key, which now holds the place; null when none waits
     */
    Job<C> release(Job<C> job) {
        if (!job.holdsKeyWorker) {
            return null;
        }
        job.holdsKeyWorker = false;
        KeyState<C> key = job.key;
        Job<C> next = key.waitingForWorker.poll();
        if (next != null) {
            next.holdsKeyWorker = true;
            return next;
        }
        key.withWorker--;
        return null;
    }
}
