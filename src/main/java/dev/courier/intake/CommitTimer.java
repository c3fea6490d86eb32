package dev.courier.intake;

import dev.courier.publish.TransactionAbortedException;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * When intake commits: every commit interval, and at once before partitions are let go. A commit that aborts
 * its transaction hands over to {@code onAborted}, which redoes (or lets go of) the partitions' uncommitted
 * work. Intake thread only.
 */
final class CommitTimer {

    private final OffsetCommitter committer;
    private final long intervalNanos;
    private final LongSupplier nanoTime;
    private final Runnable onAborted;
    private long nextDue;

    /**
     * @param interval  {@code courier.commit.interval}
     * @param nanoTime  a monotonic clock, in nanoseconds
     * @param onAborted runs on the intake thread after a commit aborted its transaction
     */
    CommitTimer(OffsetCommitter committer, Duration interval, LongSupplier nanoTime, Runnable onAborted) {
        this.committer = committer;
        this.intervalNanos = interval.toNanos();
        this.nanoTime = nanoTime;
        this.onAborted = onAborted;
        this.nextDue = nanoTime.getAsLong() + intervalNanos;
    }

    boolean isDue() {
        return nanoTime.getAsLong() - nextDue >= 0;
    }

    /** Commits when the interval has passed since the last periodic commit. */
    void commitIfDue() {
        if (isDue()) {
            nextDue = nanoTime.getAsLong() + intervalNanos;
            commit(false);
        }
    }

    /**
     * Commits now and waits for the broker's answer, at most the commit timeout.
     *
     * @return whether what was finished is committed (false: it failed, aborted, or is pending)
     */
    boolean commitNow() {
        return commit(true);
    }

    /** Whether a commit is pending (the broker does not answer); intake takes no new work meanwhile. */
    boolean isPending() {
        return committer.isPending();
    }

    private boolean commit(boolean now) {
        try {
            if (now) {
                return committer.commitNow();
            }
            committer.commit();
            return true;
        } catch (TransactionAbortedException e) {
            onAborted.run();
            return false;
        }
    }
}
