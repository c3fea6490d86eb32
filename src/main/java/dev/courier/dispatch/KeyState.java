package dev.courier.dispatch;

import io.github.bucket4j.Bucket;
import java.util.HashMap;
import java.util.Map;

/**
 * Everything the dispatcher keeps about one rate-limit key, a budget the events name: its bucket, its jobs waiting
 * for their tokens (one {@link Lane} per host they go to), and how many of its jobs are in the dispatcher, counted
 * or parked. A key is only a budget: what a host answers changes its host's state ({@link HostState}), never a
 * key's. Kept by {@link Keys} while a job of the key is in the dispatcher, and afterwards while the table has room.
 * Dispatch thread only.
 */
final class KeyState<C> {

    final String name;
    /** This instance's share of the key's configured rate; infinite when it has none. */
    double configured;
    /** Null while the key's rate is unlimited. */
    Bucket bucket;

    // the call gate
    /** The key's lanes that have jobs and whose host lets calls through, in turn. */
    final LaneQueue<C> ready = new LaneQueue<>();
    /** A timer is set for the key's bucket, or it is in line for the global bucket. */
    boolean parked;
    Runnable wake;
    /**
     * The key's first lane, kept while idle and given to another host only when idle: most keys send to one host, and
     * their jobs then make no lane and no map lookup. The lanes to other hosts at the same time are in {@link #others}
     * while they hold jobs.
     */
    private Lane<C> sole;
    private final Map<HostState<C>, Lane<C>> others = new HashMap<>();

    /** The host the key's last job went to: most keys go to one host, whose origin then need not be built. */
    HostState<C> lastHost;

    // the key gate
    /** Jobs of the key in the dispatcher, counted and parked. */
    int jobs;
    /** Jobs of the key that count in flight: the earliest {@code max-in-flight-per-key} of them. */
    int counted;
    /** Jobs of the key beyond those counted, oldest first. */
    final JobQueue<C> parkedJobs = new JobQueue<>();
    int parkedCount;

    KeyState(String name) {
        this.name = name;
    }

    /** The key's lane to {@code host}, made when there is none. */
    Lane<C> laneTo(HostState<C> host) {
        Lane<C> lane = sole;
        if (lane != null && lane.host == host) {
            return lane;
        }
        if (lane == null || lane.isIdle()) {
            Lane<C> other = others.remove(host);
            sole = other != null ? other : new Lane<>(this, host);
            return sole;
        }
        return others.computeIfAbsent(host, ignored -> new Lane<>(this, host));
    }

    /** Forgets {@code lane}, which has no job and is in no list (the sole lane is kept for the next job). */
    void forget(Lane<C> lane) {
        if (lane != sole) {
            others.remove(lane.host, lane);
        }
    }
}
