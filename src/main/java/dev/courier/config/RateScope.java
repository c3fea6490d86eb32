package dev.courier.config;

/** Whose budget a configured rate is. */
public enum RateScope {
    /**
     * The whole consumer group's: each instance takes the share of every rate (and burst) that its partitions of
     * the requests topic are of all of them.
     */
    GROUP,
    /** Each instance's own: N instances together may send N times the rate. */
    INSTANCE
}
