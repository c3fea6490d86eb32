package dev.courier.dispatch;

/**
 * This instance's share of the group's rate budgets ({@code courier.rate.scope=group}): the partitions of the
 * requests topic it owns over all of them. With none owned it keeps the share of one partition, so the calls of
 * events still draining go on at a rate, not unlimited.
 *
 * @param owned partitions of the requests topic this instance owns, 0 or more
 * @param total partitions of the requests topic, at least 1
 */
public record RateShare(int owned, int total) {

    /** The whole budget: one instance alone, or {@code instance} scope. */
    public static final RateShare WHOLE = new RateShare(1, 1);

    public RateShare {
        if (total < 1 || owned < 0 || owned > total) {
            throw new IllegalArgumentException("a share needs 0 <= owned <= total and total >= 1, not " + owned + " of "
                    + total);
        }
    }

    /** The share as a fraction in (0, 1]. */
    public double fraction() {
        return (double) Math.max(1, owned) / total;
    }

    /** This share of {@code rate}. */
    double of(double rate) {
        return rate * fraction();
    }
}
