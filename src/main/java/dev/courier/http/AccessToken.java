package dev.courier.http;

import java.time.Duration;

/**
 * An access token of a target and when to stop using it, on the token source's nanosecond clock: renewal starts in
 * the background once 80% of its lifetime has passed, and it is not sent in its last tenth (at most 30 s), so that it
 * does not expire on the way. Its lifetime is the endpoint's {@code expires_in}, or an hour when it gives none, and at
 * most a day. Immutable; {@link #toString()} hides the token.
 *
 * @param value      the token as sent after {@code Bearer }
 * @param obtainedAt when the request for it was sent (before the endpoint started its lifetime), in nanoseconds
 */
record AccessToken(String value, long obtainedAt, long refreshAfterNanos, long useForNanos) {

    static final Duration DEFAULT_LIFETIME = Duration.ofHours(1);
    static final Duration MAX_LIFETIME = Duration.ofDays(1);
    static final Duration MAX_MARGIN = Duration.ofSeconds(30);

    /**
     * @param expiresIn the endpoint's {@code expires_in}, or null when it gave none
     */
    static AccessToken of(String value, long obtainedAt, Duration expiresIn) {
        Duration lifetime = expiresIn == null ? DEFAULT_LIFETIME
                : expiresIn.compareTo(MAX_LIFETIME) > 0 ? MAX_LIFETIME : expiresIn;
        long life = lifetime.toNanos();
        long useFor = life - Math.min(MAX_MARGIN.toNanos(), life / 10);
        return new AccessToken(value, obtainedAt, life / 10 * 8, useFor);
    }

    /** Whether it may still be sent at {@code now}. */
    boolean usable(long now) {
        return now - obtainedAt < useForNanos;
    }

    /** Whether a new one should be fetched, in the background, at {@code now}. */
    boolean refreshDue(long now) {
        return now - obtainedAt >= refreshAfterNanos;
    }

    /** How long ago it was asked for, at {@code now}. */
    Duration age(long now) {
        return Duration.ofNanos(Math.max(0, now - obtainedAt));
    }

    /** The {@code Authorization} header's value. */
    String header() {
        return "Bearer " + value;
    }

    @Override
    public String toString() {
        return "AccessToken[****]";
    }
}
