package dev.courier.config;

/**
 * How outcomes are delivered.
 *
 * @param guarantee       at-least-once or exactly-once
 * @param transactionalId the producer's transactional id in exactly-once mode, or null for a random one per run
 */
public record DeliverySettings(DeliveryGuarantee guarantee, String transactionalId) {

    public boolean exactlyOnce() {
        return guarantee == DeliveryGuarantee.EXACTLY_ONCE;
    }
}
