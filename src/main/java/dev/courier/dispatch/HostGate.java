package dev.courier.dispatch;

import java.util.HashMap;
import java.util.Map;

/**
 * Keeps at most {@code limit} calls in progress to each host; the jobs beyond it wait their turn, first come first
 * served. Holds one entry per host with a call in progress. Dispatch thread only.
 */
final class HostGate<C> {

    private static final class Host<C> {
        int calls;
        final JobQueue<C> waiting = new JobQueue<>();
    }

    private final int limit;
    private final Map<String, Host<C>> hosts = new HashMap<>();

    HostGate(int limit) {
        this.limit = limit;
    }

    /** Whether {@code job} got a call slot of its host; when not, it waits for one. */
    boolean enter(Job<C> job) {
        Host<C> host = hosts.computeIfAbsent(job.request.host(), ignored -> new Host<>());
        if (host.calls < limit) {
            host.calls++;
            job.holdsHostSlot = true;
            return true;
        }
        job.moveTo(Job.Stage.HOST);
        host.waiting.add(job);
        return false;
    }

    /**
     * Gives back the slot {@code job} holds, if it holds one.
     *
     * @return the next waiting job of the host, which now holds the slot; null when none waits
     */
    Job<C> release(Job<C> job) {
        if (!job.holdsHostSlot) {
            return null;
        }
        job.holdsHostSlot = false;
        String name = job.request.host();
        Host<C> host = hosts.get(name);
        Job<C> next = host.waiting.poll();
        if (next != null) {
            next.holdsHostSlot = true;
            return next;
        }
        if (--host.calls == 0) {
            hosts.remove(name);
        }
        return null;
    }
}
