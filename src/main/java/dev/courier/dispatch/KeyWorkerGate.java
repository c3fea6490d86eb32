package dev.courier.dispatch;

import java.util.function.IntSupplier;

/**
 * Keeps a quarter of the workers for the other keys once there are other keys. While the dispatcher knows more than
 * one rate-limit key, at most {@code courier.workers} less a quarter of them (rounded down) of one key's jobs hold a
 * worker, or wait in line for one, at once; while it knows one key, as many as there are workers. The key's jobs
 * beyond that wait here, first come first served, until one of its attempts ends. A key whose calls are slow (or
 * never answer) thus cannot take every worker, and the other keys' calls keep going; a single target still gets
 * every worker. When a second key comes after a single one had them all, it gets the first worker that frees, and
 * the limit holds from then on (the table of keys keeps idle keys, so it rarely shrinks back to one). With fewer than
 * four workers a key may take them all.
 *
 * <p>The state is kept on each job's {@link KeyState}, which lives while the key has a job in the dispatcher. Dispatch
 * thread only.
 */
final class KeyWorkerGate<C> {

    private final int workers;
    private final int limit;
    private final IntSupplier keysKnown;

    /** @param keysKnown how many rate-limit keys the dispatcher knows now */
    KeyWorkerGate(int workers, IntSupplier keysKnown) {
        this.workers = workers;
        this.limit = Math.max(1, workers - workers / 4);
        this.keysKnown = keysKnown;
    }

    /** Whether {@code job} may go on to a worker now; when not, it waits for its key's next attempt to end. */
    boolean enter(Job<C> job) {
        KeyState<C> key = job.key;
        if (key == null) {
            return true;
        }
        if (hasRoom(key)) {
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
     * @return the next waiting job of the key, which now holds a place; null when none waits or the key is still at
     *         its limit (it took more workers while it was the only key)
     */
    Job<C> release(Job<C> job) {
        if (!job.holdsKeyWorker) {
            return null;
        }
        job.holdsKeyWorker = false;
        KeyState<C> key = job.key;
        key.withWorker--;
        if (!hasRoom(key)) {
            return null;
        }
        Job<C> next = key.waitingForWorker.poll();
        if (next != null) {
            next.holdsKeyWorker = true;
            key.withWorker++;
        }
        return next;
    }

    /** Whether the key may have another job with a worker or in line for one: all workers while it is alone. */
    private boolean hasRoom(KeyState<C> key) {
        return key.withWorker < (keysKnown.getAsInt() <= 1 ? workers : limit);
    }
}
