package dev.courier.dispatch;

import io.github.bucket4j.BandwidthBuilder;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TokensInheritanceStrategy;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.local.SynchronizationStrategy;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Makes the Bucket4j token buckets of the rate limits, on the dispatcher's own nano time so tests can move it.
 * The buckets are unsynchronized: only the dispatch thread touches them.
 */
final class TokenBuckets {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final TimeMeter time;

    /** @param nanoTime the dispatcher's monotonic clock, in nanoseconds */
    TokenBuckets(LongSupplier nanoTime) {
        this.time = new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                return nanoTime.getAsLong();
            }

            @Override
            public boolean isWallClockBased() {
                return false;
            }
        };
    }

    /**
     * A bucket that starts full with {@code capacity} tokens and gains {@code perSecond} tokens a second, smoothly
     * (Bucket4j's greedy refill), up to {@code capacity}. A fractional rate such as 0.5 works: one token per two
     * seconds.
     */
    Bucket bucket(double perSecond, long capacity) {
        return Bucket.builder()
                .addLimit(limit -> limit(limit, perSecond, capacity))
                .withCustomTimePrecision(time)
                .withSynchronizationStrategy(SynchronizationStrategy.NONE)
                .build();
    }

    /**
     * Makes {@code bucket} refill at {@code perSecond} up to {@code capacity} from now on, keeping the same fraction of
     * its capacity in tokens (so a slower bucket does not let out a burst it saved at the faster rate).
     */
    void reconfigure(Bucket bucket, double perSecond, long capacity) {
        bucket.replaceConfiguration(BucketConfiguration.builder()
                        .addLimit(limit -> limit(limit, perSecond, capacity)).build(),
                TokensInheritanceStrategy.PROPORTIONALLY);
    }

    private static BandwidthBuilder.BandwidthBuilderBuildStage limit(
            BandwidthBuilder.BandwidthBuilderCapacityStage limit, double perSecond, long capacity) {
        var refill = limit.capacity(capacity);
        return perSecond == Math.rint(perSecond) && perSecond >= 1
                ? refill.refillGreedy((long) perSecond, Duration.ofSeconds(1))
                : refill.refillGreedy(1, Duration.ofNanos(Math.max(1, Math.round(NANOS_PER_SECOND / perSecond))));
    }

    /** Whether {@code bucket} holds a whole token now. */
    static boolean hasToken(Bucket bucket) {
        return bucket.getAvailableTokens() >= 1;
    }

    /** Nanoseconds until {@code bucket} holds a whole token; at least 1, so a timer always moves on. */
    static long nanosToToken(Bucket bucket) {
        return Math.max(1, bucket.estimateAbilityToConsume(1).getNanosToWaitForRefill());
    }
}
