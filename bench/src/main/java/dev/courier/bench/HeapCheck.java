package dev.courier.bench;

import java.util.List;
import java.util.Locale;

/**
 * Whether a contender's heap stays flat while a large backlog waits: one long run on the backlog, with a full
 * collection requested ({@code jcmd <pid> GC.run}) at regular intervals after the first outcome, so each reading is
 * the heap that is really live at that moment rather than whatever a young collection happened to leave.
 *
 * @param contender     the {@link Contender} name
 * @param latencyMs     the target's latency
 * @param concurrency   the contender's concurrency
 * @param backlogEvents events in the backlog topic when the run started
 * @param outcomes      outcomes the run published (how much of the backlog it worked through)
 * @param atSeconds     when each reading was taken, in seconds after the first outcome
 * @param liveHeapMb    the heap in use after each full collection, MiB, in the order of {@code atSeconds}
 * @param peakHeapMb    most heap in use before any collection of the run
 * @param note          what went wrong, if anything
 */
record HeapCheck(String contender, int latencyMs, int concurrency, int backlogEvents, int outcomes,
        List<Integer> atSeconds, List<Double> liveHeapMb, Double peakHeapMb, String note) {

    /** The heap may grow by this share of the first half's mean, or by {@link #SLACK_MB}, whichever is larger. */
    static final double SLACK_SHARE = 0.10;
    static final double SLACK_MB = 5;

    /**
     * Mean of the later half of the readings minus mean of the earlier half, MiB; null with fewer than two readings.
     * Halves rather than first and last reading: a single reading moves by a few MB with how many events happen to be
     * in flight and how full the consumer's fetch buffers are; a leak moves every later reading up.
     */
    Double growthMb() {
        if (liveHeapMb.size() < 2) {
            return null;
        }
        int half = liveHeapMb.size() / 2;
        return mean(liveHeapMb.subList(liveHeapMb.size() - half, liveHeapMb.size())) - mean(liveHeapMb.subList(0, half));
    }

    /** The growth allowed: {@link #SLACK_SHARE} of the earlier half's mean, at least {@link #SLACK_MB}. */
    double allowedGrowthMb() {
        return Math.max(SLACK_MB, SLACK_SHARE * mean(liveHeapMb.subList(0, Math.max(1, liveHeapMb.size() / 2))));
    }

    /** True when the heap grew by no more than {@link #allowedGrowthMb}; null with fewer than two readings. */
    Boolean flat() {
        Double growth = growthMb();
        return growth == null ? null : growth <= allowedGrowthMb();
    }

    private static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(0);
    }

    /** "38 MB at 10 s, 39 MB at 20 s, ...". */
    String readings() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < Math.min(liveHeapMb.size(), atSeconds.size()); i++) {
            text.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.0f MB at %d s", liveHeapMb.get(i),
                    atSeconds.get(i)));
        }
        return text.toString();
    }
}
