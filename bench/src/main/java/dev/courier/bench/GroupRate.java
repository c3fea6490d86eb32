package dev.courier.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Two (or more) Courier instances of one consumer group sharing one rate budget ({@code courier.rate.per-key} in
 * {@code group} scope), measured at the target: the aggregate calls per second over the window against the budget,
 * and the most calls in any one-second window (sliding, from the arrival times).
 *
 * @param instances      Courier processes in the group
 * @param budget         {@code courier.rate.per-key}: the group's budget for the one key every event has (the host)
 * @param skippedSeconds from the first call to the start of the window: at least {@code Runner.GROUP_SKIP_MS} (the
 *                       buckets start full, so the first second carries a burst) and until every instance owned
 *                       partitions, plus {@code Runner.GROUP_SETTLE_MS}
 * @param seconds        length of the measured window
 * @param calls          calls the target received in the window
 * @param aggregate      {@code calls / seconds}
 * @param maxInOneSecond most calls in any one-second window inside the measured window
 * @param maxFromFirstCall most calls in any one-second window from the first call to the end of the window: the
 *                       start (full buckets, the group forming) included
 * @param perSecond      calls in each whole second of the window
 * @param instanceMeters each instance's own view at the end, from its {@code /metrics}: partitions, and the key's
 *                       configured share and current rate
 * @param otherCores     cores other processes used in the window
 * @param note           what went wrong, if anything
 */
record GroupRate(int instances, int budget, double skippedSeconds, int seconds, long calls, double aggregate,
        int maxInOneSecond, int maxFromFirstCall, List<Integer> perSecond, List<String> instanceMeters, Double otherCores, String note) {

    static GroupRate failed(int instances, int budget, String note) {
        return new GroupRate(instances, budget, 0, 0, 0, 0, 0, 0, List.of(), List.of(), null, note);
    }

    /** {@code aggregate} against the budget, in percent. */
    double errorPercent() {
        return 100 * (aggregate - budget) / budget;
    }

    /** The most of {@code sortedNanos} inside any window of {@code windowNanos} (half-open), by a sliding window. */
    static int maxInWindow(long[] sortedNanos, long windowNanos) {
        int best = 0;
        int from = 0;
        for (int to = 0; to < sortedNanos.length; to++) {
            while (sortedNanos[to] - sortedNanos[from] >= windowNanos) {
                from++;
            }
            best = Math.max(best, to - from + 1);
        }
        return best;
    }

    /** How many of {@code sortedNanos} fall in each whole second from {@code startNanos}, for {@code seconds}. */
    static List<Integer> perSecond(long[] sortedNanos, long startNanos, int seconds) {
        int[] counts = new int[seconds];
        for (long t : sortedNanos) {
            long second = (t - startNanos) / 1_000_000_000L;
            if (t >= startNanos && second < seconds) {
                counts[(int) second]++;
            }
        }
        List<Integer> list = new ArrayList<>();
        for (int count : counts) {
            list.add(count);
        }
        return list;
    }

    String summary() {
        return note != null && calls == 0 ? "FAILED " + note : String.format(Locale.ROOT,
                "%d instances, budget %d/s: %.2f calls/s aggregate over %d s (%+.2f %%), max %d in any 1 s (%d from"
                        + " the first call, the start included)%s", instances, budget, aggregate, seconds,
                errorPercent(), maxInOneSecond, maxFromFirstCall, note == null ? "" : "; " + note);
    }
}
