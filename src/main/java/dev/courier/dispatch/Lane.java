package dev.courier.dispatch;

/**
 * One rate-limit key's jobs to one host, in arrival order: the unit the {@link CallGate} turns between. A lane is
 * either ready (in its key's turn), blocked by its host (in the host's list until the host lets calls through again),
 * or idle and forgotten. Dispatch thread only.
 */
final class Lane<C> {

    final KeyState<C> key;
    final HostState<C> host;
    final JobQueue<C> jobs = new JobQueue<>();
    /** In its key's {@link KeyState#ready} turn. */
    boolean ready;
    /** In its host's {@link HostState#blockedLanes}. */
    boolean hostBlocked;
    /** The next lane in whichever {@link LaneQueue} holds this one; a lane is in at most one at a time. */
    Lane<C> nextQueued;

    Lane(KeyState<C> key, HostState<C> host) {
        this.key = key;
        this.host = host;
    }

    /** Whether the lane holds no job and is in no list. */
    boolean isIdle() {
        return !ready && !hostBlocked && jobs.peek() == null;
    }

    /** Forgets the lane when it holds no job and is in no list. */
    void dropIfIdle() {
        if (isIdle()) {
            key.forget(this);
        }
    }
}
