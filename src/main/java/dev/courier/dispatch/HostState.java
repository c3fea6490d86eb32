package dev.courier.dispatch;

import io.github.bucket4j.Bucket;
import java.net.URI;

/**
 * Everything the dispatcher keeps about one host (an origin: scheme, host and port, the address a call actually
 * goes to): its circuit, its adaptive rate and the bucket that applies it, its pause, the jobs waiting at its gate
 * and for its call slots. Whatever a host answers changes only its own state, never another host's, whatever the
 * events' rate-limit keys say. Kept by {@link Hosts} while a job of the host is in the dispatcher, and afterwards
 * while the table has room.
 *
 * <p>Confinement: dispatch thread only, except the pause, which the worker that read a response asking for one sets
 * at once (so no call it could stop starts in the meantime), and which any thread reads.
 */
final class HostState<C> {

    private static final long WINDOW_NANOS = 1_000_000_000L;

    final String name;
    /** Forgotten by {@link Hosts}: a job must not take this state any more. */
    boolean forgotten;
    private final String scheme;
    private final String host;
    private final int port;
    /** Null while circuits are off. */
    final HostCircuit circuit;
    final AdaptiveRate rate;
    /** Null while the host's rate is unlimited. */
    Bucket bucket;
    /** The rate {@link #bucket} refills at. */
    double bucketRate;

    // the call gate
    /** The lanes (of any key) whose next job the host does not let through now: paused, circuit, rate. */
    final LaneQueue<C> blockedLanes = new LaneQueue<>();
    /** A timer is set to give the blocked lanes back to their keys. */
    boolean timerSet;
    /** Every probe of the half-open circuit is out: the first result (or permit given back) lets the lanes go. */
    boolean awaitingProbes;
    /** The lanes are blocked by the circuit (not a pause or the rate): their jobs wait for the circuit. */
    boolean circuitBlocks;
    Runnable wake;
    /** When the circuit opened last (nano time) and whether that was logged; for the closing line. */
    long openedAt;
    boolean openLogged;

    // the host's call slots (HostSlots)
    /** Jobs of the host holding a call slot: with a worker, or in line for one. */
    int calls;
    final JobQueue<C> waitingForSlot = new JobQueue<>();

    /** Jobs of the host in the dispatcher. */
    int jobs;

    // attempts a second, for the rate it starts slowing from
    private long windowStart;
    private int inWindow;
    private int inLastWindow;

    // the pause
    private volatile boolean pauseSet;
    private volatile long pausedUntil;

    /** @param name the origin, {@code scheme://host:port} ({@link Hosts#origin}) */
    HostState(String name, HostCircuit circuit, AdaptiveRate rate) {
        this.name = name;
        this.circuit = circuit;
        this.rate = rate;
        URI origin = URI.create(name);
        this.scheme = origin.getScheme();
        this.host = origin.getHost();
        this.port = origin.getPort();
    }

    /** Whether {@code url} goes to this host. */
    boolean serves(URI url) {
        return Hosts.port(url) == port && host.equals(url.getHost()) && scheme.equals(url.getScheme());
    }

    /** Jobs of the host waiting for it to let calls through: those in its blocked lanes. */
    int waiting() {
        int[] count = new int[1];
        for (Lane<C> lane = blockedLanes.peek(); lane != null; lane = lane.nextQueued) {
            lane.jobs.forEach(job -> count[0]++);
        }
        return count[0];
    }

    /** Whether a pause is in effect at {@code now} (nano time). Any thread. */
    boolean isPaused(long now) {
        return pauseSet && pausedUntil - now > 0;
    }

    /** Whether the host has ever been paused: only then is the time worth reading for {@link #isPaused}. Any thread. */
    boolean everPaused() {
        return pauseSet;
    }

    /** The end of the pause (nano time); meaningful while {@link #isPaused}. Any thread. */
    long pausedUntil() {
        return pausedUntil;
    }

    /** Pauses the host until {@code until} (nano time), unless it is paused longer already. Any thread. */
    synchronized void pauseUntil(long until, long now) {
        if (!isPaused(now) || until - pausedUntil > 0) {
            pausedUntil = until;
            pauseSet = true;
        }
    }

    /** Whether the state is what a host seen for the first time has: nothing worth keeping once it is idle. */
    boolean isPlain(long now) {
        return Double.isInfinite(rate.rate()) && !isPaused(now)
                && (circuit == null || circuit.state() == HostCircuit.State.CLOSED);
    }

    /** An attempt of the host has everything it needs for its call at {@code now}: it will be made. */
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
