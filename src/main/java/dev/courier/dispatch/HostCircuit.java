package dev.courier.dispatch;

import dev.courier.config.CircuitSettings;

/**
 * One host's circuit breaker, on the dispatcher's nano time. Closed, it counts the results of the host's last
 * {@code courier.circuit.window} calls that ended within {@link #MAX_AGE_NANOS}, and opens once at least
 * {@link #MIN_CALLS} of them (or the whole window, if shorter) are counted and {@code courier.circuit.failure-ratio}
 * of them failed. The count is long enough that a host failing a share of its calls at random, retries included,
 * does not open it by chance (a sixth: never in millions of calls), and the age limit lets a slow host that goes
 * down open it within seconds too. Open, it permits no call for
 * {@code courier.circuit.open-wait}; then it is half open and permits {@code courier.circuit.probes} calls, whose
 * results open it again (as many failed as the ratio allows) or close it with an empty count.
 *
 * <p>A result is counted only in the state that permitted its call: a call let through while the circuit was closed
 * that ends after it opened counts for nothing, so it cannot pass for a probe. Each permit carries the circuit's
 * {@link #epoch()} for that.
 *
 * <p>Dispatch thread only; allocates nothing after construction.
 */
final class HostCircuit {

    /** Where the circuit is. */
    enum State { CLOSED, OPEN, HALF_OPEN }

    /** What a result did to the circuit. */
    enum Change { NONE, OPENED, REOPENED, CLOSED }

    /** The fewest results counted before a closed circuit may open, when the window is at least as long. */
    static final int MIN_CALLS = 20;
    /** Results older than this (nanoseconds) are no longer counted. */
    static final long MAX_AGE_NANOS = 10_000_000_000L;

    private final double failureRatio;
    private final long openWaitNanos;
    private final int probes;
    private final int minCalls;
    /** The last results while closed, as a ring: when each ended and whether it failed. */
    private final long[] endedAt;
    private final boolean[] failed;
    /** The oldest result counted. */
    private int oldest;
    private int counted;
    private int failures;
    private State state = State.CLOSED;
    private int epoch;
    private long openedAt;
    private int probesOut;
    private int probeResults;
    private int probeFailures;

    /** @param settings its window must be at least 1 (0 means no circuits: none is made) */
    HostCircuit(CircuitSettings settings) {
        this.failureRatio = settings.failureRatio();
        this.openWaitNanos = settings.openWait().toNanos();
        this.probes = settings.probes();
        this.endedAt = new long[settings.window()];
        this.failed = new boolean[settings.window()];
        this.minCalls = Math.min(MIN_CALLS, settings.window());
    }

    State state() {
        return state;
    }

    /** Changes whenever the state does; a permit is good for results only in the epoch it was taken in. */
    int epoch() {
        return epoch;
    }

    /** When an open circuit will let its first probe through (nano time); meaningful while {@link State#OPEN}. */
    long probeAt() {
        return openedAt + openWaitNanos;
    }

    /** When the circuit last opened (nano time). */
    long openedAt() {
        return openedAt;
    }

    /**
     * Takes a permit for a call at {@code now}: always while closed; while open, none until its wait is over, when
     * it turns half open; while half open, one per probe not yet out.
     */
    boolean tryPermit(long now) {
        if (state == State.CLOSED) {
            return true;
        }
        if (state == State.OPEN) {
            if (now - probeAt() < 0) {
                return false;
            }
            transition(State.HALF_OPEN);
            probesOut = 0;
            probeResults = 0;
            probeFailures = 0;
        }
        if (probesOut < probes) {
            probesOut++;
            return true;
        }
        return false;
    }

    /** Gives back a permit of {@code permitEpoch} whose call was not made. */
    void release(int permitEpoch) {
        if (permitEpoch == epoch && state == State.HALF_OPEN && probesOut > 0) {
            probesOut--;
        }
    }

    /**
     * Counts the result of a call permitted in {@code permitEpoch}, which ended at {@code now}.
     *
     * @return what it did to the circuit
     */
    Change record(int permitEpoch, boolean failure, long now) {
        if (permitEpoch != epoch) {
            return Change.NONE;
        }
        if (state == State.CLOSED) {
            count(failure, now);
            if (counted >= minCalls && failures >= failureRatio * counted) {
                open(now);
                return Change.OPENED;
            }
            return Change.NONE;
        }
        if (state == State.HALF_OPEN) {
            probeResults++;
            if (failure) {
                probeFailures++;
            }
            if (probeFailures >= failureRatio * probes) {
                open(now);
                return Change.REOPENED;
            }
            if (probeResults >= probes) {
                transition(State.CLOSED);
                counted = 0;
                failures = 0;
                oldest = 0;
                return Change.CLOSED;
            }
        }
        return Change.NONE;
    }

    /** Failed results among those counted now, and how many are counted; for the log line of an opening. */
    int failures() {
        return failures;
    }

    int counted() {
        return counted;
    }

    private void count(boolean failure, long now) {
        while (counted > 0 && (counted == endedAt.length || now - endedAt[oldest] > MAX_AGE_NANOS)) {
            if (failed[oldest]) {
                failures--;
            }
            counted--;
            oldest = oldest + 1 == endedAt.length ? 0 : oldest + 1;
        }
        int next = (oldest + counted) % endedAt.length;
        endedAt[next] = now;
        failed[next] = failure;
        counted++;
        if (failure) {
            failures++;
        }
    }

    private void open(long now) {
        transition(State.OPEN);
        openedAt = now;
    }

    private void transition(State to) {
        state = to;
        epoch++;
    }
}
