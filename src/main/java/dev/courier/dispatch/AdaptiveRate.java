package dev.courier.dispatch;

import dev.courier.config.RateSettings;

/**
 * One key's rate under additive increase, multiplicative decrease. A pushback multiplies the rate by the decrease
 * factor, down to the floor, at most once a second so that the answers to calls already in flight do not count as
 * many; {@code increaseAfter} successes since the last decrease then add back a tenth of the top rate (at least the
 * floor), up to the top: the configured rate, or, for a key without one, the rate it was making when it first pushed
 * back, where it becomes unlimited again.
 *
 * <p>A 429 is a pushback. A 503 or a timeout says less (a target may fail a share of its calls at any rate), so it is
 * a pushback only while such answers are at least {@link #STRAIN_SHARE} of the key's last {@link #STRAIN_WINDOW}
 * answers: a target failing one call in ten at random keeps its rate, one that fails a quarter or more slows down.
 * Without that rule, halving once a second against a steady 10 % of 503s outpaces the steps back up, and the key
 * sinks to the floor. Dispatch thread only.
 */
final class AdaptiveRate {

    private static final long DECREASE_SPACING_NANOS = 1_000_000_000L;
    private static final double STEPS_TO_TOP = 10;
    /** How many of a key's last answers the share of 503s and timeouts is taken over. */
    static final int STRAIN_WINDOW = 40;
    /** The share of 503s and timeouts among the last answers from which each is a pushback. */
    static final double STRAIN_SHARE = 0.25;

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
    /** The key's last answers, as a ring: whether each was a 503 or a timeout. */
    private final boolean[] strained = new boolean[STRAIN_WINDOW];
    private int next;
    private int answers;
    private int strainedInWindow;

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
     * The key answered a 503 or timed out at {@code now}, while it was making {@code observed} attempts a second: a
     * pushback when such answers are at least {@link #STRAIN_SHARE} of its last {@link #STRAIN_WINDOW}.
     *
     * @return whether the rate changed
     */
    boolean strain(long now, double observed) {
        answered(true);
        return strainedInWindow >= STRAIN_SHARE * answers && pushback(now, observed);
    }

    /** The key gave an answer that says nothing of its load (neither a success nor a pushback). */
    void neutral() {
        answered(false);
    }

    private void answered(boolean strain) {
        if (answers == STRAIN_WINDOW) {
            if (strained[next]) {
                strainedInWindow--;
            }
        } else {
            answers++;
        }
        strained[next] = strain;
        if (strain) {
            strainedInWindow++;
        }
        next = (next + 1) % STRAIN_WINDOW;
    }

    /**
     * An attempt of the key succeeded.
     *
     * @return whether the rate changed
     */
    boolean success() {
        answered(false);
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
