package dev.courier.dispatch;

import dev.courier.config.RateSettings;
import dev.courier.dispatch.CallPermits.Refusal;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Lets each attempt through once everything that limits its call allows it at the same moment:
 *
 * <ul>
 *   <li>its host ({@link HostState}): not paused, its circuit permitting a call (an open circuit none until its wait
 *       is over, then its probes), a token of its adaptive rate while it has one;
 *   <li>its rate-limit key: a token of the key's bucket, this instance's share of the key's configured rate;
 *   <li>a token of the global bucket.
 * </ul>
 *
 * Jobs wait in lanes, one per key and host ({@link Lane}), holding no thread and using no attempt. A key's ready lanes
 * take its tokens in turn, one job each, so one host cannot take a shared key's whole budget; the keys blocked on the
 * global bucket take its tokens in turn, one job each. A lane whose host does not let its next job through leaves
 * its key's turn and waits with its host until the pause ends, the circuit may be probed, the host's token is there,
 * or a probe reports; so a paused or failing host never holds up another host's jobs, whatever key they share. Every
 * condition is checked before any token is taken, so no token is lost to a job that cannot go. A job whose deadline
 * passes while it waits goes on without tokens: no call will be made for it.
 *
 * <p>Dispatch thread only.
 */
final class CallGate<C> {

    /** Hears of each attempt that waited for a token, once it has it. */
    interface WaitListener<C> {

        /**
         * @param key    the rate-limit key the job waited with, when that key has a rate limit of its own; null when
         *               only the global bucket or its host's rate applied to it
         * @param waited how long it waited, in {@link Scheduler#nanoTime} units
         */
        void waited(Job<C> job, String key, long waited);
    }

    private enum Step { PASSED, NEXT_LANE, KEY_EMPTY, GLOBAL_EMPTY }

    private final Scheduler scheduler;
    private final CallPermits<C> permits;
    private final Consumer<Job<C>> pass;
    private final Predicate<Job<C>> expired;
    private final WaitListener<C> waits;
    private final Clock wallClock;
    private final ArrayDeque<KeyState<C>> inLineForGlobal = new ArrayDeque<>();
    private final Runnable globalWake = this::globalRefilled;
    private boolean globalTimerSet;

    /**
     * @param pass      where a job goes once it may be called, or its deadline has passed
     * @param expired   whether a job's deadline has passed: it needs no token, no call will be made
     * @param wallClock the clock deadlines are read against
     * @param waits     hears of each attempt that had to wait for its tokens
     */
    CallGate(RateSettings settings, Scheduler scheduler, Consumer<Job<C>> pass, Predicate<Job<C>> expired,
            Clock wallClock, WaitListener<C> waits) {
        this.scheduler = scheduler;
        this.permits = new CallPermits<>(settings, scheduler);
        this.pass = pass;
        this.expired = expired;
        this.wallClock = wallClock;
        this.waits = waits;
    }

    /** The state of a key seen for the first time: its share of the configured rate, a full bucket. */
    KeyState<C> newKey(String name) {
        KeyState<C> key = new KeyState<>(name);
        key.wake = () -> {
            key.parked = false;
            drain(key);
        };
        permits.rebuild(key);
        return key;
    }

    /** Gives {@code host} the timer that lets its blocked lanes go. */
    void attach(HostState<C> host) {
        host.wake = () -> {
            host.timerSet = false;
            release(host);
        };
    }

    /** This instance's share of the budgets changed: every bucket follows, keeping its share of tokens. */
    void share(RateShare newShare, Keys<C> keys) {
        permits.share(newShare, keys);
    }

    /** This instance's share of the floor of the hosts' adaptive rates. */
    double floor() {
        return permits.floor();
    }

    /** Passes {@code job} on once it may be called: now, or later. */
    void enter(Job<C> job) {
        KeyState<C> key = job.key;
        Lane<C> lane = key.laneTo(job.host);
        if (!key.parked && key.ready.peek() == null && !lane.hostBlocked && lane.jobs.peek() == null) {
            // nothing of the key waits, nor of the lane: the job goes now, or it starts the wait itself
            Refusal refused = expired.test(job) ? null : permits.take(job, lane);
            if (refused == null) {
                pass.accept(job);
                return;
            }
            wait(job, lane);
            if (refused == Refusal.KEY_EMPTY || refused == Refusal.GLOBAL_EMPTY) {
                lane.ready = true;
                key.ready.add(lane);
                park(key, refused);
            } else {
                blockOnHost(lane, refused == Refusal.CIRCUIT);
            }
        } else {
            wait(job, lane);
            if (!lane.ready && !lane.hostBlocked) {
                lane.ready = true;
                key.ready.add(lane);
            }
            if (!key.parked) {
                drain(key);
            }
        }
        if (job.waitingForTokens) {
            boolean circuit = lane.hostBlocked && lane.host.circuitBlocks;
            job.moveTo(circuit ? Job.Stage.CIRCUIT : Job.Stage.TOKENS);
            job.circuitWaited |= circuit;
            if (job.tokenWaitSince == 0) {
                job.tokenWaitSince = Math.max(1, scheduler.nanoTime());
            }
            if (job.request.deadline() != null) {
                long nanos = Duration.between(wallClock.instant(), job.request.deadline()).toNanos();
                scheduler.schedule(Math.max(1, nanos + 1), () -> expireWaiting(lane));
            }
        }
    }

    /** Puts {@code job} at the end of {@code lane}. */
    private static <C> void wait(Job<C> job, Lane<C> lane) {
        job.waitingForTokens = true;
        lane.jobs.add(job);
    }

    /**
     * {@code host} may let calls through again (its timer ran, a probe reported, its rate rose): its blocked lanes
     * go back to their keys' turns, and those keys go on.
     */
    void release(HostState<C> host) {
        host.awaitingProbes = false;
        boolean circuit = host.circuitBlocks;
        host.circuitBlocks = false;
        List<KeyState<C>> keys = new ArrayList<>(1);
        for (Lane<C> lane = host.blockedLanes.poll(); lane != null; lane = host.blockedLanes.poll()) {
            lane.hostBlocked = false;
            if (lane.jobs.peek() == null) {
                lane.dropIfIdle();
                continue;
            }
            if (circuit) {
                lane.jobs.forEach(job -> job.moveTo(Job.Stage.TOKENS));
            }
            lane.ready = true;
            lane.key.ready.add(lane);
            if (!keys.contains(lane.key)) {
                keys.add(lane.key);
            }
        }
        for (KeyState<C> key : keys) {
            if (!key.parked) {
                drain(key);
            }
        }
    }

    private void drain(KeyState<C> key) {
        while (true) {
            Lane<C> lane = key.ready.peek();
            if (lane == null) {
                return;
            }
            Step step = step(lane);
            if (step == Step.KEY_EMPTY || step == Step.GLOBAL_EMPTY) {
                park(key, step == Step.KEY_EMPTY ? Refusal.KEY_EMPTY : Refusal.GLOBAL_EMPTY);
                return;
            }
        }
    }

    /** Passes the next job of {@code lane}, at the head of its key's turn, when it can go now. */
    private Step step(Lane<C> lane) {
        KeyState<C> key = lane.key;
        Job<C> job = lane.jobs.peek();
        if (job == null) {
            key.ready.poll();
            lane.ready = false;
            lane.dropIfIdle();
            return Step.NEXT_LANE;
        }
        if (!expired.test(job)) {
            Refusal refused = permits.take(job, lane);
            if (refused == Refusal.KEY_EMPTY) {
                return Step.KEY_EMPTY;
            }
            if (refused == Refusal.GLOBAL_EMPTY) {
                return Step.GLOBAL_EMPTY;
            }
            if (refused != null) {
                key.ready.poll();
                lane.ready = false;
                blockOnHost(lane, refused == Refusal.CIRCUIT);
                return Step.NEXT_LANE;
            }
        }
        lane.jobs.poll();
        key.ready.poll();
        if (lane.jobs.peek() == null) {
            lane.ready = false;
            lane.dropIfIdle();
        } else {
            key.ready.add(lane);
        }
        job.waitingForTokens = false;
        if (job.tokenWaitSince != 0) {
            waits.waited(job, key.bucket == null ? null : key.name, scheduler.nanoTime() - job.tokenWaitSince);
            job.tokenWaitSince = 0;
        }
        pass.accept(job);
        return Step.PASSED;
    }

    /**
     * Makes {@code lane}, out of its key's turn, wait with its host, whose timer is set to
     * {@link CallPermits#blockNanos} from now (none when negative: a probe's result lets it go).
     */
    private void blockOnHost(Lane<C> lane, boolean circuit) {
        HostState<C> host = lane.host;
        lane.hostBlocked = true;
        host.blockedLanes.add(lane);
        if (circuit && !host.circuitBlocks) {
            host.circuitBlocks = true;
            for (Lane<C> each = host.blockedLanes.peek(); each != null; each = each.nextQueued) {
                each.jobs.forEach(HostFeedback::waitsForCircuit);
            }
        } else if (circuit) {
            lane.jobs.forEach(HostFeedback::waitsForCircuit);
        }
        long blockNanos = permits.blockNanos();
        if (blockNanos < 0) {
            host.awaitingProbes = true;
        } else if (!host.timerSet) {
            host.timerSet = true;
            scheduler.schedule(Math.max(1, blockNanos), host.wake);
        }
    }

    private void park(KeyState<C> key, Refusal refused) {
        key.parked = true;
        if (refused == Refusal.KEY_EMPTY) {
            scheduler.schedule(permits.nanosToKeyToken(key), key.wake);
        } else {
            inLineForGlobal.add(key);
            setGlobalTimer();
        }
    }

    private void setGlobalTimer() {
        if (!globalTimerSet) {
            globalTimerSet = true;
            scheduler.schedule(permits.nanosToGlobalToken(), globalWake);
        }
    }

    /** The keys in line take the global tokens in turn, one job each, until the bucket or the line is empty. */
    private void globalRefilled() {
        globalTimerSet = false;
        while (!inLineForGlobal.isEmpty()) {
            KeyState<C> key = inLineForGlobal.peek();
            Step step = Step.NEXT_LANE;
            while (step == Step.NEXT_LANE && key.ready.peek() != null) {
                step = step(key.ready.peek());
            }
            if (step == Step.GLOBAL_EMPTY) {
                setGlobalTimer();
                return;
            }
            inLineForGlobal.poll();
            if (step == Step.PASSED) {
                inLineForGlobal.add(key);
            } else if (step == Step.KEY_EMPTY) {
                park(key, Refusal.KEY_EMPTY);
            } else {
                key.parked = false; // nothing ready: the key goes on when a job or a lane comes
            }
        }
    }

    /** Passes on the jobs of {@code lane} whose deadline has passed while they waited. */
    private void expireWaiting(Lane<C> lane) {
        JobQueue<C> going = new JobQueue<>();
        lane.jobs.removeIf(expired, going::add);
        for (Job<C> job = going.poll(); job != null; job = going.poll()) {
            job.waitingForTokens = false;
            pass.accept(job); // without a token: no call will be made
        }
        lane.dropIfIdle();
    }
}
