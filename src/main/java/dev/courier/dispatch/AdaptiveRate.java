package dev.courier.dispatch;

import dev.courier.config.RateSettings;

/**
 * One key's rate under additive increase, multiplicative decrease. A pushback (a 429, a 503, a timeout) multiplies the
 * rate by the decrease factor, down to the floor, at most once a second so that the answers to calls already in
 * flight do not count as many; {@code increaseAfter} successes in a row then add back a tenth of the top rate (at
 * least the floor), up to the top: the configured rate, or, for a key without one, the rate it was making when it
 * first pushed back, where it becomes unlimited again. Dispatch thread only.
 */
final class AdaptiveRate {

    private static final long DECREASE_SPACING_NANOS = 1_000_000_000L;
    private static final double STEPS_TO_TOP = 10;

    private final RateSettings.Adaptive settings;
    /** This instance's share of the configured rate; infinite when the key has none. */
    private double configured;
    /** The rate it climbs back to: {@link #configured}, or what an unlimited key was making when it pushed back. */
    private double top;
    private double current;
    private double floor;
    private int successes;
    private long lastDecrease;
    private boolean decreasedOnce;

    /**
     * @param configured this instance's share of the key's configured rate; infinite for none
     * @param floor      this instance's share of the floor
     */
    AdaptiveRate(RateSettings.Adaptive settings, double configured, double floor) {
        this.settings = settings;
        this.configured = configured;
        this.top = configured;
        this.current = configured;
        this.floor = floor;
    }

    /** Attempts per second now; infinite for no limit. */
    double rate() {
        return current;
    }

    /** This instance's share of the configured rate; infinite for none. */
    double configured() {
        return configured;
    }

    /**
     * The key pushed back at {@code now} (nanoseconds) while it was making {@code observed} attempts a second.
     *
     * @return whether the rate changed
     */
    boolean pushback(long now, double observed) {
        if (!settings.enabled() || (decreasedOnce && now - lastDecrease < DECREASE_SPACING_NANOS)) {
            return false;
        }
        decreasedOnce = true;
        lastDecrease = now;
        successes = 0;
        if (Double.isInfinite(current)) {
            top = Math.max(observed, floor);
            current = top;
        }
        double next = Math.max(floor, current * settings.decreaseFactor());
        boolean changed = next != current;
        current = next;
        return changed;
    }

    /**
     * An attempt of the key succeeded.
     *
     * @return whether the rate changed
     */
    boolean success() {
        if (!settings.enabled() || current >= top) {
            return false;
        }
        if (++successes < settings.increaseAfter()) {
            return false;
        }
        successes = 0;
        current = Math.min(top, current + Math.max(floor, top / STEPS_TO_TOP));
        if (current >= top) {
            current = configured;
        }
        return true;
    }

    /** The share changed: the configured rate and floor are now these, and a reduced rate keeps its proportion. */
    void rescale(double newConfigured, double newFloor) {
        if (Double.isFinite(current) && Double.isFinite(top) && top > 0) {
            double scale = Double.isFinite(newConfigured) && Double.isFinite(configured) ? newConfigured / configured
                    : newFloor / floor;
            current = Math.max(newFloor, current * scale);
            top = Double.isFinite(newConfigured) ? newConfigured : Math.max(newFloor, top * scale);
        } else {
            current = newConfigured;
            top = newConfigured;
        }
        configured = newConfigured;
        floor = newFloor;
    }
}
