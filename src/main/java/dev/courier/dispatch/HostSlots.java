package dev.courier.dispatch;

import java.util.function.IntSupplier;

/**
 * Limits how many of one host's jobs hold a worker, or wait in line for one, at once: at most
 * {@code courier.http.per-host-concurrency} (when set), and, once the dispatcher knows more than one host, at most
 * {@code courier.workers} less a quarter of them (rounded down), so a host whose calls are slow, or never answer,
 * cannot hold every worker while other hosts' events wait. A single host still gets every worker; when a second
 * comes after one had them all, it gets the first worker that frees. The jobs beyond the limit wait here, first come
 * first served, until one of the host's attempts ends. With fewer than four workers a host may take them all.
 *
 * <p>The state is kept on each job's {@link HostState}. Dispatch thread only.
 */
final class HostSlots<C> {

    private final int workers;
    private final int shared;
    private final int perHost;
    private final IntSupplier hostsKnown;

    /**
     * @param perHost    {@code courier.http.per-host-concurrency}; 0 for no limit of its own
     * @param hostsKnown how many hosts the dispatcher knows now
     */
    HostSlots(int workers, int perHost, IntSupplier hostsKnown) {
        this.workers = workers;
        this.shared = Math.max(1, workers - workers / 4);
        this.perHost = perHost <= 0 ? Integer.MAX_VALUE : perHost;
        this.hostsKnown = hostsKnown;
    }

    /** Whether {@code job} holds a slot of its host now; when not, it waits for one of the host's attempts to end. */
    boolean enter(Job<C> job) {
        HostState<C> host = job.host;
        if (host.calls < limit()) {
            host.calls++;
            job.holdsSlot = true;
            return true;
        }
        job.moveTo(Job.Stage.HOST);
        host.waitingForSlot.add(job);
        return false;
    }

    /**
     * Gives back the slot {@code job} holds, if it holds one.
     *
     * @return the next waiting job of the host, which now holds a slot; null when none waits or the host is still at
     *         its limit (it took more workers while it was the only host)
     */
    Job<C> release(Job<C> job) {
        if (!job.holdsSlot) {
            return null;
        }
        job.holdsSlot = false;
        HostState<C> host = job.host;
        host.calls--;
        if (host.calls >= limit()) {
            return null;
        }
        Job<C> next = host.waitingForSlot.poll();
        if (next != null) {
            next.holdsSlot = true;
            host.calls++;
        }
        return next;
    }

    private int limit() {
        return Math.min(perHost, hostsKnown.getAsInt() <= 1 ? workers : shared);
    }
}
