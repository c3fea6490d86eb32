package dev.courier.config;

/** Which events must not run at the same time. */
public enum Ordering {
    /** Any event may run with any other: the highest throughput. */
    UNORDERED,
    /** Events with the same Kafka key run one at a time, in offset order; events without a key are unordered. */
    KEY,
    /** Events of the same partition run one at a time, in offset order. */
    PARTITION
}
