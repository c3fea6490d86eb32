package dev.courier.dispatch;

import dev.courier.config.RateSettings;
import io.github.bucket4j.Bucket;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Lets each attempt through once its key is not paused and it has a token from the global bucket and one from its
 * key's bucket (each only while that rate is limited). A key's rate is this instance's share of its configured rate
 * ({@link RateShare}), lowered and raised again by its pushback ({@link AdaptiveRate}); a pushback that names a time
 * ({@link Pushback}) pauses the whole key until then. Waiting holds no thread: a job that cannot go joins its key's
 * FIFO lane, and a timer, set for when the pause ends or the token will be there, drains the lane. Both buckets are
 * checked before either is drawn from, so no token is lost to a job that cannot go.
 *
 * <p>When the global bucket is the one that is empty, the blocked keys line up for it and take its tokens in turn,
 * one job each, so one busy key cannot starve the others.
 *
 * <p>Dispatch thread only.
 */
final class RateGate<C> {

    /** Hears of each attempt that waited for a token, once it has it. */
    interface WaitListener<C> {

        /**
         * @param key    the rate-limit key the job waited with, when that key has a rate limit of its own; null when
         *               only the global bucket applies to it
         * @param waited how long it waited, in {@link Scheduler#nanoTime} units
         */
        void waited(Job<C> job, String key, long waited);
    }

    private enum Step { PASSED, EMPTY, PAUSED, KEY_BUCKET_EMPTY, GLOBAL_BUCKET_EMPTY }

    private final Scheduler scheduler;
    private final RateSettings settings;
    private final TokenBuckets buckets;
    private final Consumer<Job<C>> pass;
    private final Predicate<Job<C>> needsNoToken;
    private final Duration pauseMax;
    private final WaitListener<C> waits;
    private final ArrayDeque<KeyState<C>> inLineForGlobal = new ArrayDeque<>();
    private final Runnable globalWake = this::globalRefilled;
    private RateShare share;
    private Bucket global;
    private boolean globalTimerSet;

    /**
     * @param pauseMax     the longest pause a response may ask of its key ({@code courier.retry.retry-after-max})
     * @param pass         where a job goes once it has its tokens
     * @param needsNoToken jobs that pass without drawing tokens (their deadline has passed: no call will be made)
     * @param waits        hears of each attempt that had to wait for its tokens
     */
    RateGate(RateSettings settings, Duration pauseMax, Scheduler scheduler, Consumer<Job<C>> pass,
            Predicate<Job<C>> needsNoToken, WaitListener<C> waits) {
        this.scheduler = scheduler;
        this.settings = settings;
        this.pauseMax = pauseMax;
        this.buckets = new TokenBuckets(scheduler::nanoTime);
        this.pass = pass;
        this.needsNoToken = needsNoToken;
        this.waits = waits;
        this.share = RateShare.WHOLE;
        this.global = settings.global() > 0 ? buckets.bucket(settings.global(), settings.globalCapacity()) : null;
    }

    /** The state of a key seen for the first time: its share of the configured rate, not paused. */
    KeyState<C> newKey(String name) {
        double configured = settings.rateFor(name);
        KeyState<C> key = new KeyState<>(name, new AdaptiveRate(settings.adaptive(),
                configured > 0 ? share.of(configured) : Double.POSITIVE_INFINITY,
                share.of(settings.adaptive().floor())));
        key.wake = () -> {
            key.parked = false;
            drain(key);
        };
        rebuild(key);
        return key;
    }

    /** This instance's share of the budgets changed: every bucket follows, keeping its share of tokens. */
    void share(RateShare newShare, Keys<C> keys) {
        share = newShare;
        if (settings.global() > 0) {
            buckets.reconfigure(global, share.of(settings.global()), settings.globalCapacity(share.fraction()));
        }
        keys.forEach(key -> {
            double configured = settings.rateFor(key.name);
            key.rate.rescale(configured > 0 ? share.of(configured) : Double.POSITIVE_INFINITY,
                    share.of(settings.adaptive().floor()));
            rebuild(key);
        });
    }

    /** Passes {@code job} on once it has its tokens: now, or later from a timer. */
    void enter(Job<C> job) {
        KeyState<C> key = job.key;
        job.moveTo(Job.Stage.TOKENS);
        key.waiting.add(job);
        if (!key.parked) {
            drain(key);
        }
        if (job.stage == Job.Stage.TOKENS) {
            job.tokenWaitSince = Math.max(1, scheduler.nanoTime());
        }
    }

    /** What an attempt of {@code key} said: its rate adapts, and a pause it asked for begins now. */
    void feedback(KeyState<C> key, Feedback feedback) {
        long now = scheduler.nanoTime();
        boolean changed = switch (feedback.signal()) {
            case PUSHBACK -> key.rate.pushback(now, key.observedRate(now));
            case STRAIN -> key.rate.strain(now, key.observedRate(now));
            case SUCCESS -> key.rate.success();
            case NEUTRAL -> {
                key.rate.neutral();
                yield false;
            }
        };
        if (changed) {
            rebuild(key);
        }
        if (feedback.pause() != null) {
            Duration pause = feedback.pause().compareTo(pauseMax) > 0 ? pauseMax : feedback.pause();
            key.pauseUntil(now + pause.toNanos(), now);
        }
    }

    /** Makes the key's bucket follow its rate: none while unlimited, else refilling at the rate. */
    private void rebuild(KeyState<C> key) {
        double rate = key.rate.rate();
        if (Double.isInfinite(rate)) {
            key.bucket = null;
        } else if (key.bucket == null) {
            key.bucket = buckets.bucket(rate, capacity(key, rate));
        } else if (rate != key.bucketRate) {
            buckets.reconfigure(key.bucket, rate, capacity(key, rate));
        }
        key.bucketRate = rate;
    }

    /** A key's burst: its share of the configured burst, or one second of its rate now, whichever is smaller. */
    private long capacity(KeyState<C> key, double rate) {
        double configured = settings.rateFor(key.name);
        long full = configured > 0 ? settings.perKeyCapacity(configured, share.fraction()) : 1;
        return Math.max(1, Math.min(full, (long) Math.ceil(rate)));
    }

    private void drain(KeyState<C> key) {
        Step step;
        do {
            step = step(key);
        } while (step == Step.PASSED);
        park(key, step);
    }

    /** Passes the first job of {@code key} when it can go now. */
    private Step step(KeyState<C> key) {
        Job<C> job = key.waiting.peek();
        if (job == null) {
            return Step.EMPTY;
        }
        if (!needsNoToken.test(job)) {
            long now = scheduler.nanoTime();
            if (key.isPaused(now)) {
                return Step.PAUSED;
            }
            if (key.bucket != null && !TokenBuckets.hasToken(key.bucket)) {
                return Step.KEY_BUCKET_EMPTY;
            }
            if (global != null && !TokenBuckets.hasToken(global)) {
                return Step.GLOBAL_BUCKET_EMPTY;
            }
            if (key.bucket != null) {
                key.bucket.tryConsume(1);
            }
            if (global != null) {
                global.tryConsume(1);
            }
            key.attempted(now);
        }
        key.waiting.poll();
        if (job.tokenWaitSince != 0) {
            waits.waited(job, key.bucket == null ? null : key.name, scheduler.nanoTime() - job.tokenWaitSince);
            job.tokenWaitSince = 0;
        }
        pass.accept(job);
        return Step.PASSED;
    }

    private void park(KeyState<C> key, Step step) {
        if (step == Step.PAUSED) {
            key.parked = true;
            scheduler.schedule(Math.max(1, key.pausedUntil - scheduler.nanoTime()), key.wake);
        } else if (step == Step.KEY_BUCKET_EMPTY) {
            key.parked = true;
            scheduler.schedule(TokenBuckets.nanosToToken(key.bucket), key.wake);
        } else if (step == Step.GLOBAL_BUCKET_EMPTY) {
            key.parked = true;
            inLineForGlobal.add(key);
            setGlobalTimer();
        }
    }

    private void setGlobalTimer() {
        if (!globalTimerSet) {
            globalTimerSet = true;
            scheduler.schedule(TokenBuckets.nanosToToken(global), globalWake);
        }
    }

    /** The keys in line take the global tokens in turn, one job each, until the bucket or the line is empty. */
    private void globalRefilled() {
        globalTimerSet = false;
        while (!inLineForGlobal.isEmpty()) {
            KeyState<C> key = inLineForGlobal.peek();
            Step step = step(key);
            if (step == Step.GLOBAL_BUCKET_EMPTY) {
                setGlobalTimer();
                return;
            }
            inLineForGlobal.poll();
            if (step == Step.PASSED) {
                inLineForGlobal.add(key);
            } else {
                key.parked = false;
                park(key, step);
            }
        }
    }
}
