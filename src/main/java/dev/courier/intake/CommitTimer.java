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
    private final EngineListener listener;
    private long nextDue;
    /** When the commit now pending was first seen pending (nanoTime), or {@link #NOT_PENDING}. */
    private long pendingSince = NOT_PENDING;
    private static final long NOT_PENDING = Long.MIN_VALUE;

    /**
     * @param interval  {@code courier.commit.interval}
     * @param nanoTime  a monotonic clock, in nanoseconds
     * @param onAborted runs on the intake thread after a commit aborted its transaction
     * @param listener  hears how long each commit blocked, and of each abort
     */
    CommitTimer(OffsetCommitter committer, Duration interval, LongSupplier nanoTime, Runnable onAborted,
            EngineListener listener) {
        this.committer = committer;
        this.intervalNanos = interval.toNanos();
        this.nanoTime = nanoTime;
        this.onAborted = onAborted;
        this.listener = listener;
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
        boolean pending = committer.isPending();
        if (!pending) {
            pendingSince = NOT_PENDING;
        } else if (pendingSince == NOT_PENDING) {
            pendingSince = nanoTime.getAsLong();
        }
        return pending;
    }

    /** How long a commit has been pending, as of the last {@link #isPending()}; zero when none is. */
    Duration pendingFor() {
        long since = pendingSince;
        return since == NOT_PENDING ? Duration.ZERO : Duration.ofNanos(nanoTime.getAsLong() - since);
    }

    private boolean commit(boolean now) {
        long start = nanoTime.getAsLong();
        try {
            boolean committed;
            if (now) {
                committed = committer.commitNow();
            } else {
                committer.commit();
                committed = true;
            }
            listener.onCommitted(Duration.ofNanos(nanoTime.getAsLong() - start));
            return committed;
        } catch (TransactionAbortedException e) {
            listener.onTransactionAborted();
            onAborted.run();
            return false;
        }
    }
}
