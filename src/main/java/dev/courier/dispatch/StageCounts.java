package dev.courier.dispatch;

import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * How many jobs are at each {@link Job.Stage} now, for metrics: written by the dispatch thread as jobs move, read
 * by any thread. A job abandoned while behind its key counts as finished at once. Only the dispatch thread writes,
 * so a count is read and set again with release semantics rather than changed atomically: readers see each value
 * soon after, without the dispatch thread paying for a locked instruction per move.
 */
final class StageCounts {

    private final AtomicIntegerArray counts = new AtomicIntegerArray(Job.Stage.values().length);

    /** {@code job} moves from {@code from} (null when it was just admitted) to {@code to}. Dispatch thread. */
    void moved(Job.Stage from, Job.Stage to) {
        if (from != null) {
            counts.lazySet(from.ordinal(), counts.get(from.ordinal()) - 1);
        }
        if (to != Job.Stage.FINISHED) {
            counts.lazySet(to.ordinal(), counts.get(to.ordinal()) + 1);
        }
    }

    /** Jobs at {@code stage} now. Any thread. */
    int at(Job.Stage stage) {
        return stage == Job.Stage.FINISHED ? 0 : Math.max(0, counts.get(stage.ordinal()));
    }
}
