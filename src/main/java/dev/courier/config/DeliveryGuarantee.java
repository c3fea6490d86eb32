package dev.courier.config;

/** What Courier promises about the outcomes on its topics. */
public enum DeliveryGuarantee {
    /**
     * Every event gets an outcome; after a crash, events that were in flight may get a second one. Outcomes are
     * visible as soon as the broker has them.
     */
    AT_LEAST_ONCE,
    /**
     * Every event gets exactly one outcome, through crashes and rebalances: outcomes and consumed offsets are
     * committed in one Kafka transaction, and only {@code read_committed} consumers see them, once committed.
     */
    EXACTLY_ONCE
}
