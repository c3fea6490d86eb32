package dev.courier.intake;

import java.util.Collection;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.common.TopicPartition;

/** The consumer's rebalance callbacks, handed to the {@link Intake} they belong to; intake thread, inside poll. */
final class IntakeRebalance implements ConsumerRebalanceListener {

    private final Intake intake;

    IntakeRebalance(Intake intake) {
        this.intake = intake;
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        if (!partitions.isEmpty()) {
            intake.assigned(partitions);
        }
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        if (!partitions.isEmpty()) {
            intake.revoked(partitions);
        }
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
        if (!partitions.isEmpty()) {
            intake.lost(partitions);
        }
    }
}
