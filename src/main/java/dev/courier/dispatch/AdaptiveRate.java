package dev.courier.dispatch;

import dev.courier.config.RateSettings;

/**
 * How fast one host may be called, from what it answers. A host starts unlimited (its events' rate budgets still
 * apply) and is judged a second at a time:
 *
 * <ul>
 *   <li>A 429 that does not say when to come back means "too fast": the rate drops at once to
 *       {@code courier.rate.decrease-factor} of what the host was making, at most once a second, so the answers to
 *       calls already on their way do not count as many.</li>
 *   <li>503s and timeouts say less: a host may fail a share of its calls at any rate. They count only when they are
 *       at least {@link #STRAIN_SHARE} of at least {@link #MIN_ANSWERS} answers, and then the rate drops on trial.
 *       If the share of such answers a second later (the second right after the drop is left out: calls made at the
 *       old rate still answer in it) has not fallen by a quarter, the failures did not come from the load: the rate
 *       goes back where it was, and for {@link #TRIAL_PAUSE_NANOS} only a clearly worse share ({@link #WORSE_BY}
 *       more) tries again. A host that fails a tenth or a third of its calls at random keeps its
 *       rate; one whose failures follow its load is slowed until they fall below the share.</li>
 *   <li>Each second without such pushback, once the host has given {@code courier.rate.increase-after} successes
 *       since its rate last changed (1 by default), gives back a tenth of the rate it fell from (at least the floor),
 *       so a host is back where it was within about ten seconds of its last pushback, and unlimited again once
 *       there.</li>
 * </ul>
 *
 * The rate never goes below the floor ({@code courier.rate.floor}). Hosts that fail half their calls or stop
 * answering are the circuit breaker's ({@link HostCircuit}), not this rate's.
 *
 * <p>Dispatch thread only.
 */
final class AdaptiveRate {

    /** The length of one judgement, in nanoseconds. */
    static final long PERIOD_NANOS = 1_000_000_000L;
    /** The fewest answers a judgement on 503s and timeouts needs; the period lasts until there are as many. */
    static final int MIN_ANSWERS = 20;
    /** The share of 503s and timeouts among a period's answers from which the host is slowed on trial. */
    static final double STRAIN_SHARE = 0.25;
    /** A trial decrease helped when the share fell to at most this fraction of what it was. */
    static final double HELPED = 0.75;
    /** How long after a trial that did not help the host's 503s and timeouts are taken as random. */
    static final long TRIAL_PAUSE_NANOS = 60_000_000_000L;
    /** How much worse than at the failed trial the share must get to be tried again before then. */
    static final double WORSE_BY = 0.10;
    private static final double STEPS_TO_TOP = 10;

    private final boolean enabled;
    private final double decreaseFactor;
    private final int increaseAfter;
    private double floor;
    /** Attempts per second now; infinite for no limit. */
    private double current = Double.POSITIVE_INFINITY;
    /** The rate it climbs back to, where it is unlimited again: what the host was making when it first slowed. */
    private double top = Double.POSITIVE_INFINITY;

    private long periodStart;
    private boolean periodStarted;
    private int answers;
    private int strained;
    private boolean pushedBack;
    /** Successes since the rate last changed. */
    private int successes;

    /** The rate before a trial decrease, while its effect is being judged; NaN when no trial is open. */
    private double trialFrom = Double.NaN;
    private double trialShare;
    /** The period after a trial decrease is left out: answers to calls made at the old rate still come in it. */
    private boolean settling;
    /** Until when (nano time) 503s and timeouts are taken as random, after a trial that did not help. */
    private long randomUntil;
    private boolean randomSet;
    private double randomShare;

    /** @param floor this instance's share of the floor, per second */
    AdaptiveRate(RateSettings.Adaptive settings, double floor) {
        this.enabled = settings.enabled();
        this.decreaseFactor = settings.decreaseFactor();
        this.increaseAfter = settings.increaseAfter();
        this.floor = floor;
    }

    /** Attempts per second the host may be called at now; infinite for no limit. */
    double rate() {
        return current;
    }

    /**
     * The host's circuit opened: its failures are the circuit's to handle, so a trial decrease is undone and the
     * period starts again when answers come back.
     */
    void circuitOpened() {
        if (!Double.isNaN(trialFrom)) {
            current = trialFrom;
            if (Double.isInfinite(current)) {
                top = Double.POSITIVE_INFINITY;
            }
            trialFrom = Double.NaN;
        }
        settling = false;
        periodStarted = false;
        answers = 0;
        strained = 0;
        pushedBack = false;
    }

    /** This instance's share of the floor changed. */
    void floor(double newFloor) {
        floor = newFloor;
        if (Double.isFinite(current) && current < floor) {
            current = floor;
        }
    }

    /**
     * One answer of the host at {@code now} (nano time), while it was being called {@code observed} times a second.
     *
     * @return whether the rate changed
     */
    boolean answered(Feedback.Signal signal, long now, double observed) {
        if (!enabled) {
            return false;
        }
        if (!periodStarted) {
            periodStarted = true;
            periodStart = now;
        }
        answers++;
        boolean changed = false;
        switch (signal) {
            case PUSHBACK -> {
                if (!pushedBack) {
                    pushedBack = true;
                    trialFrom = Double.NaN;
                    settling = false;
                    changed = decrease(observed);
                }
            }
            case STRAIN -> strained++;
            case SUCCESS -> successes++;
            case NEUTRAL -> {
                // says nothing of the load
            }
        }
        if (now - periodStart >= PERIOD_NANOS) {
            changed |= judge(now, observed);
        }
        return changed;
    }

    /** The period is over: slow down, undo a trial, or step back up. */
    private boolean judge(long now, double observed) {
        double share = (double) strained / answers;
        if (pushedBack) {
            startPeriod(now);
            return false;
        }
        if (settling) {
            settling = false;
            startPeriod(now);
            return false;
        }
        if (share >= STRAIN_SHARE) {
            if (answers < MIN_ANSWERS) {
                return false; // too few answers to tell: the period goes on
            }
            boolean changed = strain(now, share, observed);
            startPeriod(now);
            return changed;
        }
        trialFrom = Double.NaN; // a trial that brought the share under the line helped
        boolean changed = false;
        if (successes >= increaseAfter && current < top) {
            successes = 0;
            current = Math.min(top, current + Math.max(floor, top / STEPS_TO_TOP));
            if (current >= top) {
                current = Double.POSITIVE_INFINITY;
                top = Double.POSITIVE_INFINITY;
            }
            changed = true;
        }
        startPeriod(now);
        return changed;
    }

    /** A period with {@code share} of 503s and timeouts, at least {@link #STRAIN_SHARE}. */
    private boolean strain(long now, double share, double observed) {
        if (!Double.isNaN(trialFrom)) {
            if (share > trialShare * HELPED) {
                current = trialFrom; // the failures did not follow the rate down: they are not the load's
                if (Double.isInfinite(current)) {
                    top = Double.POSITIVE_INFINITY;
                }
                trialFrom = Double.NaN;
                randomSet = true;
                randomUntil = now + TRIAL_PAUSE_NANOS;
                randomShare = Math.max(share, trialShare);
                return true;
            }
        } else if (randomSet && now - randomUntil < 0 && share < randomShare + WORSE_BY) {
            return false;
        }
        trialFrom = current;
        trialShare = share;
        settling = true;
        return decrease(observed);
    }

    private boolean decrease(double observed) {
        if (Double.isInfinite(current)) {
            top = Math.max(observed, floor);
            current = top;
        }
        double next = Math.max(floor, current * decreaseFactor);
        successes = 0;
        boolean changed = next != current;
        current = next;
        return changed;
    }

    private void startPeriod(long now) {
        periodStart = now;
        answers = 0;
        strained = 0;
        pushedBack = false;
    }
}
