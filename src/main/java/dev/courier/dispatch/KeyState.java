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
    /** The lane of the last job that entered (most keys send to one host: no map lookup then). */
    private Lane<C> lastLane;
    private final Map<HostState<C>, Lane<C>> lanes = new HashMap<>();

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
        Lane<C> lane = lastLane;
        if (lane != null && lane.host == host) {
            return lane;
        }
        lane = lanes.computeIfAbsent(host, ignored -> new Lane<>(this, host));
        lastLane = lane;
        return lane;
    }

    /** Forgets {@code lane}, which has no job and is in no list. */
    void forget(Lane<C> lane) {
        lanes.remove(lane.host, lane);
        if (lastLane == lane) {
            lastLane = null;
        }
    }
}
