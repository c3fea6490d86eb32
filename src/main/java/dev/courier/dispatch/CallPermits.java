package dev.courier.dispatch;

import dev.courier.config.RateSettings;
import io.github.bucket4j.Bucket;
import java.time.Duration;

/**
 * What a call takes before it may be made, checked and taken at one moment for the {@link CallGate}: its host not
 * paused, a permit of its host's circuit, a token of each bucket that applies (its host's adaptive rate, its
 * rate-limit key's share of the configured rate, the global one). Nothing is taken unless all of it can be. Owns the
 * keys' and the global bucket, and this instance's share of the budgets. Dispatch thread only.
 */
final class CallPermits<C> {

    /** Why a job cannot go now; {@link #blockNanos} says for how long where it is its host's doing. */
    enum Refusal { PAUSED, HOST_RATE, CIRCUIT, KEY_EMPTY, GLOBAL_EMPTY }

    /** Marks "more than one bucket applies" for {@link #onlyBucket}. */
    private static final Bucket NONE = Bucket.builder().addLimit(limit -> limit.capacity(1).refillGreedy(1,
            Duration.ofSeconds(1))).build();

    private final Scheduler scheduler;
    private final RateSettings settings;
    private final TokenBuckets buckets;
    private final Bucket global;
    private RateShare share = RateShare.WHOLE;
    /** With a refusal of the host's: nanoseconds until it may let the job through; -1 for when a probe reports. */
    private long blockNanos;

    CallPermits(RateSettings settings, Scheduler scheduler) {
        this.scheduler = scheduler;
        this.settings = settings;
        this.buckets = new TokenBuckets(scheduler::nanoTime);
        this.global = settings.global() > 0 ? buckets.bucket(settings.global(), settings.globalCapacity()) : null;
    }

    /** This instance's share of the budgets changed: every bucket follows, keeping its share of tokens. */
    void share(RateShare newShare, Keys<C> keys) {
        share = newShare;
        if (global != null) {
            buckets.reconfigure(global, share.of(settings.global()), settings.globalCapacity(share.fraction()));
        }
        keys.forEach(this::rebuild);
    }

    /** This instance's share of the floor of the hosts' adaptive rates. */
    double floor() {
        return share.of(settings.adaptive().floor());
    }

    /** After a refusal of the host's: nanoseconds until it may let the job through; -1 for when a probe reports. */
    long blockNanos() {
        return blockNanos;
    }

    /** Nanoseconds until the global bucket holds a token. */
    long nanosToGlobalToken() {
        return TokenBuckets.nanosToToken(global);
    }

    /** Nanoseconds until {@code key}'s bucket holds a token. */
    long nanosToKeyToken(KeyState<C> key) {
        return TokenBuckets.nanosToToken(key.bucket);
    }

    /** Makes the key's bucket follow its share of the configured rate: none while unlimited. */
    void rebuild(KeyState<C> key) {
        double configured = settings.rateFor(key.name);
        double rate = configured > 0 ? share.of(configured) : Double.POSITIVE_INFINITY;
        if (Double.isInfinite(rate)) {
            key.bucket = null;
        } else if (key.bucket == null) {
            key.bucket = buckets.bucket(rate, settings.perKeyCapacity(configured, share.fraction()));
        } else if (rate != key.configured) {
            buckets.reconfigure(key.bucket, rate, settings.perKeyCapacity(configured, share.fraction()));
        }
        key.configured = rate;
    }

    /**
     * Takes what {@code job}, the next of {@code lane}, needs for its call: its host not paused, a permit of its
     * host's circuit, a token of each bucket that applies. Nothing is taken unless all of it can be.
     *
     * @return null when the job may go; else why not (with {@link #blockNanos} for the host's refusals)
     */
    Refusal take(Job<C> job, Lane<C> lane) {
        HostState<C> host = lane.host;
        KeyState<C> key = lane.key;
        long now = scheduler.nanoTime();
        if (host.everPaused() && host.isPaused(now)) {
            blockNanos = host.pausedUntil() - now;
            return Refusal.PAUSED;
        }
        HostCircuit circuit = host.circuit;
        Bucket only = onlyBucket(host.bucket, key.bucket);
        if (only != NONE && (circuit == null || circuit.state() == HostCircuit.State.CLOSED)) {
            // the common case: one bucket at most, and a closed circuit, which takes nothing to permit a call
            if (only != null && !only.tryConsume(1)) {
                return refusedBy(only, host);
            }
        } else {
            if (host.bucket != null && !TokenBuckets.hasToken(host.bucket)) {
                return refusedBy(host.bucket, host);
            }
            if (key.bucket != null && !TokenBuckets.hasToken(key.bucket)) {
                return Refusal.KEY_EMPTY;
            }
            if (global != null && !TokenBuckets.hasToken(global)) {
                return Refusal.GLOBAL_EMPTY;
            }
            if (circuit != null && !circuit.tryPermit(now)) {
                blockNanos = circuit.state() == HostCircuit.State.OPEN ? circuit.probeAt() - now : -1;
                return Refusal.CIRCUIT;
            }
            if (host.bucket != null) {
                host.bucket.tryConsume(1);
            }
            if (key.bucket != null) {
                key.bucket.tryConsume(1);
            }
            if (global != null) {
                global.tryConsume(1);
            }
        }
        if (circuit != null) {
            job.circuitPermit = true;
            job.circuitEpoch = circuit.epoch();
            job.circuitWaited |= circuit.state() != HostCircuit.State.CLOSED;
        }
        host.attempted(now);
        return null;
    }

    /** The one bucket of the host, the key and the global ones that applies; null for none; {@link #NONE} for more. */
    private Bucket onlyBucket(Bucket hostBucket, Bucket keyBucket) {
        if (hostBucket == null) {
            return keyBucket == null ? global : global == null ? keyBucket : NONE;
        }
        return keyBucket == null && global == null ? hostBucket : NONE;
    }

    /** Why a job cannot go when {@code bucket}, the host's, the key's or the global one, has no token. */
    private Refusal refusedBy(Bucket bucket, HostState<C> host) {
        if (bucket == host.bucket) {
            blockNanos = TokenBuckets.nanosToToken(bucket);
            return Refusal.HOST_RATE;
        }
        return bucket == global ? Refusal.GLOBAL_EMPTY : Refusal.KEY_EMPTY;
    }

}
