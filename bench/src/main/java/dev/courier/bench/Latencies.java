package dev.courier.bench;

import org.HdrHistogram.Histogram;

/**
 * The end-to-end latencies of one open-loop run, in whole milliseconds, kept in an HdrHistogram: exact up to
 * 2,047 ms and within 0.1 % above (3 significant digits), in a few kilobytes however many are recorded.
 * Percentiles are nearest-rank: the smallest recorded value that at least that share of the values are at or below.
 * Not thread-safe: the harness thread fills and reads it.
 */
final class Latencies {
    private final Histogram histogram = new Histogram(3);

    /** Records one latency, in ms; a negative one (two clocks a millisecond apart) counts as 0. */
    void record(long ms) {
        histogram.recordValue(Math.max(0, ms));
    }

    /** How many latencies were recorded. */
    int count() {
        return (int) histogram.getTotalCount();
    }

    /** The latency at {@code percentile} (0 to 100), in ms; null when none was recorded. */
    Double percentile(double percentile) {
        return count() == 0 ? null : (double) histogram.getValueAtPercentile(percentile);
    }

    /** The largest latency recorded, in ms; null when none was. */
    Double max() {
        return count() == 0 ? null : (double) histogram.getMaxValue();
    }
}
