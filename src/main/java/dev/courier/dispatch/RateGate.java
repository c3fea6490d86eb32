package dev.courier.dispatch;

import dev.courier.config.RateSettings;
import io.github.bucket4j.Bucket;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Lets each attempt through once it has a token from the global bucket and one from its rate-limit key's bucket
 * (each only when its rate is above 0). The key is the event's, except for events of a named target with a rate of
 * its own, which all draw from the target's bucket ({@link RateSettings#keyFor}). Waiting holds no thread: a job that
 * finds a bucket empty joins its key's FIFO lane, and a timer, set for when the token will be there, drains the lane. Both buckets are checked before
 * either is drawn from, so no token is lost to a job that cannot go.
 *
 * <p>When the global bucket is the one that is empty, the blocked lanes line up for it and take its tokens in
 * turn, one job each, so one busy key cannot starve the others. Keys without a rate of their own share one lane for
 * the global bucket. The buckets of at most {@code maxKeys} idle keys are kept, least recently used dropped first; a
 * key that comes back gets a full bucket again. Lanes with jobs waiting are never dropped.
 *
 * <p>Dispatch thread only.
 */
final class RateGate<C> {

    /** Hears of each attempt that waited for a token, once it has it. */
    interface WaitListener<C> {

        /**
         * @param key    the rate-limit key whose lane the job waited in; null for the lane of the global bucket alone
         * @param waited how long it waited, in {@link Scheduler#nanoTime} units
         */
        void waited(Job<C> job, String key, long waited);
    }

    /** One key's bucket (null when only the global bucket applies) and the jobs waiting for it. */
    private static final class Lane<C> {
        final String key;
        final Bucket bucket;
        final JobQueue<C> waiting = new JobQueue<>();
        /** A timer is set for the lane, or it is in line for the global bucket. */
        boolean parked;
        Runnable wake;

        Lane(String key, Bucket bucket) {
            this.key = key;
            this.bucket = bucket;
        }

        boolean isIdle() {
            return !parked && waiting.isEmpty();
        }
    }

    private enum Step { PASSED, EMPTY, KEY_BUCKET_EMPTY, GLOBAL_BUCKET_EMPTY }

    private final Scheduler scheduler;
    private final RateSettings settings;
    private final TokenBuckets buckets;
    private final Consumer<Job<C>> pass;
    private final Predicate<Job<C>> needsNoToken;
    private final WaitListener<C> waits;
    private final Bucket global;
    private final Lane<C> globalOnly;
    private final Map<String, Lane<C>> lanes;
    private final ArrayDeque<Lane<C>> inLineForGlobal = new ArrayDeque<>();
    private final Runnable globalWake = this::globalRefilled;
    private boolean globalTimerSet;

    /**
     * @param pass         where a job goes once it has its tokens
     * @param needsNoToken jobs that pass without drawing tokens (their deadline has passed: no call will be made)
     * @param waits        hears of each attempt that had to wait for its tokens
     */
    RateGate(RateSettings settings, Scheduler scheduler, Consumer<Job<C>> pass, Predicate<Job<C>> needsNoToken,
            WaitListener<C> waits) {
        this.scheduler = scheduler;
        this.settings = settings;
        this.buckets = new TokenBuckets(scheduler::nanoTime);
        this.pass = pass;
        this.needsNoToken = needsNoToken;
        this.waits = waits;
        this.global = settings.global() > 0 ? buckets.bucket(settings.global(), settings.globalCapacity()) : null;
        this.globalOnly = global == null ? null : newLane(null, null);
        this.lanes = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Lane<C>> eldest) {
                return size() > settings.maxKeys() && eldest.getValue().isIdle();
            }
        };
    }

    /** Passes {@code job} on once it has its tokens: now, or later from a timer. */
    void enter(Job<C> job) {
        Lane<C> lane = laneFor(settings.keyFor(job.request.target(), job.request.rateLimitKey()));
        if (lane == null) {
            pass.accept(job);
            return;
        }
        job.moveTo(Job.Stage.TOKENS);
        lane.waiting.add(job);
        if (!lane.parked) {
            drain(lane);
        }
        if (job.stage == Job.Stage.TOKENS) {
            job.tokenWaitSince = Math.max(1, scheduler.nanoTime());
        }
    }

    private Lane<C> laneFor(String key) {
        if (settings.perKey() == 0 && settings.overrides().isEmpty()) {
            return globalOnly;
        }
        Lane<C> lane = lanes.get(key);
        if (lane == null) {
            double rate = settings.rateFor(key);
            if (rate == 0) {
                return globalOnly;
            }
            lane = newLane(key, buckets.bucket(rate, settings.perKeyCapacity(rate)));
            lanes.put(key, lane);
        }
        return lane;
    }

    private Lane<C> newLane(String key, Bucket bucket) {
        Lane<C> lane = new Lane<>(key, bucket);
        lane.wake = () -> {
            lane.parked = false;
            drain(lane);
        };
        return lane;
    }

    private void drain(Lane<C> lane) {
        Step step;
        do {
            step = step(lane);
        } while (step == Step.PASSED);
        park(lane, step);
    }

    /** Passes the first job of {@code lane} when it can go now. */
    private Step step(Lane<C> lane) {
        Job<C> job = lane.waiting.peek();
        if (job == null) {
            return Step.EMPTY;
        }
        if (!needsNoToken.test(job)) {
            if (lane.bucket != null && !TokenBuckets.hasToken(lane.bucket)) {
                return Step.KEY_BUCKET_EMPTY;
            }
            if (global != null && !TokenBuckets.hasToken(global)) {
                return Step.GLOBAL_BUCKET_EMPTY;
            }
            if (lane.bucket != null) {
                lane.bucket.tryConsume(1);
            }
            if (global != null) {
                global.tryConsume(1);
            }
        }
        lane.waiting.poll();
        if (job.tokenWaitSince != 0) {
            waits.waited(job, lane.key, scheduler.nanoTime() - job.tokenWaitSince);
            job.tokenWaitSince = 0;
        }
        pass.accept(job);
        return Step.PASSED;
    }

    private void park(Lane<C> lane, Step step) {
        if (step == Step.KEY_BUCKET_EMPTY) {
            lane.parked = true;
            scheduler.schedule(TokenBuckets.nanosToToken(lane.bucket), lane.wake);
        } else if (step == Step.GLOBAL_BUCKET_EMPTY) {
            lane.parked = true;
            inLineForGlobal.add(lane);
            setGlobalTimer();
        }
    }

    private void setGlobalTimer() {
        if (!globalTimerSet) {
            globalTimerSet = true;
            scheduler.schedule(TokenBuckets.nanosToToken(global), globalWake);
        }
    }

    /** The lanes in line take the global tokens in turn, one job each, until the bucket or the line is empty. */
    private void globalRefilled() {
        globalTimerSet = false;
        while (!inLineForGlobal.isEmpty()) {
            Lane<C> lane = inLineForGlobal.peek();
            Step step = step(lane);
            if (step == Step.GLOBAL_BUCKET_EMPTY) {
                setGlobalTimer();
                return;
            }
            inLineForGlobal.poll();
            if (step == Step.PASSED) {
                inLineForGlobal.add(lane);
            } else {
                lane.parked = false;
                park(lane, step);
            }
        }
    }
}
