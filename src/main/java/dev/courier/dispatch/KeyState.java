package dev.courier.dispatch;

import io.github.bucket4j.Bucket;

/**
 * Everything the dispatcher keeps about one rate-limit key: its bucket and adaptive rate, its pause, the jobs
 * waiting for its tokens, and how many of its jobs are in the dispatcher, counted or parked. Kept by {@link Keys}
 * while a job of the key is in the dispatcher, and afterwards while the table has room. Dispatch thread only.
 */
final class KeyState<C> {

    private static final long WINDOW_NANOS = 1_000_000_000L;

    final String name;
    final AdaptiveRate rate;
    /** Null while the key's rate is unlimited. */
    Bucket bucket;
    /** The rate {@link #bucket} refills at. */
    double bucketRate;

    // the rate gate
    final JobQueue<C> waiting = new JobQueue<>();
    /** A timer is set for the key, or it is in line for the global bucket. */
    boolean parked;
    Runnable wake;
    /** While {@code pauseSet}: the nano time before which no job of the key may take its tokens. */
    long pausedUntil;
    boolean pauseSet;

    // the key gate
    /** Jobs of the key in the dispatcher, counted and parked. */
    int jobs;
    /** Jobs of the key that count in flight: the earliest {@code max-in-flight-per-key} of them. */
    int counted;
    /** Jobs of the key beyond those counted, oldest first. */
    final JobQueue<C> parkedJobs = new JobQueue<>();
    int parkedCount;

    // the key's share of the workers (KeyWorkerGate)
    /** Jobs of the key that hold a worker, or wait in line for one. */
    int withWorker;
    /** Jobs of the key beyond its share of the workers, oldest first. */
    final JobQueue<C> waitingForWorker = new JobQueue<>();

    // attempts a second, for a key without a rate that pushes back
    private long windowStart;
    private int inWindow;
    private int inLastWindow;

    KeyState(String name, AdaptiveRate rate) {
        this.name = name;
        this.rate = rate;
    }

    /** Whether a pause is in effect at {@code now}. */
    boolean isPaused(long now) {
        return pauseSet && pausedUntil - now > 0;
    }

    /** Pauses the key until {@code until} (nano time), unless it is paused longer already. */
    void pauseUntil(long until, long now) {
        if (!isPaused(now) || until - pausedUntil > 0) {
            pausedUntil = until;
            pauseSet = true;
        }
    }

    /** An attempt of the key took its tokens at {@code now}. */
    void attempted(long now) {
        roll(now);
        inWindow++;
    }

    /** Attempts a second lately: the more of the last whole second and the one in progress. */
    double observedRate(long now) {
        roll(now);
        return Math.max(inWindow, inLastWindow);
    }

    private void roll(long now) {
        long elapsed = now - windowStart;
        if (elapsed >= WINDOW_NANOS) {
            inLastWindow = elapsed >= 2 * WINDOW_NANOS ? 0 : inWindow;
            inWindow = 0;
            windowStart = now;
        }
    }
}
