package dev.courier.dispatch;

import java.util.HashMap;
import java.util.Map;

/**
 * Lets jobs with an equal, non-null ordering key through one at a time, in the order they arrive: a job goes on
 * once the one before it with its key has left (its outcome decided and delivered). Jobs without a key pass at once.
 * Holds one map entry per key with a job in the dispatcher; the jobs behind the first are linked through
 * {@link Job#nextInOrder}. Dispatch thread only.
 */
final class OrderGate<C> {

    /** The last job to arrive for each key that has one in the dispatcher. */
    private final Map<Object, Job<C>> lastByKey = new HashMap<>();

    /** Whether {@code job} may go on now; when not, it waits behind the last job with its key. */
    boolean enter(Job<C> job) {
        if (job.orderingKey == null) {
            return true;
        }
        Job<C> last = lastByKey.put(job.orderingKey, job);
        if (last == null) {
            return true;
        }
        last.nextInOrder = job;
        job.moveTo(Job.Stage.BEHIND_KEY);
        return false;
    }

    /**
     * Ends the turn of {@code job}, which went on through {@link #enter} (it is not {@link Job.Stage#BEHIND_KEY}).
     *
     * @return the next job with its key that is not abandoned, whose turn it now is; null when none is waiting
     */
    Job<C> leave(Job<C> job) {
        if (job.orderingKey == null) {
            return null;
        }
        Job<C> next = job.nextInOrder;
        job.nextInOrder = null;
        while (next != null && next.isAbandoned()) {
            Job<C> skipped = next;
            next = skipped.nextInOrder;
            skipped.nextInOrder = null;
        }
        if (next == null) {
            lastByKey.remove(job.orderingKey);
        }
        return next;
    }
}
