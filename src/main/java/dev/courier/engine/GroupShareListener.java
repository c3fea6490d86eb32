package dev.courier.engine;

import dev.courier.dispatch.GroupShare;
import dev.courier.intake.EngineListener;
import java.util.Collection;
import java.util.List;
import org.apache.kafka.common.TopicPartition;

/**
 * Tells the dispatcher's {@link GroupShare} what the engine's consumer hears: the partitions of the requests topic
 * assigned, revoked and lost, by number, and each poll (when the consumer's metadata may show more partitions). It
 * hears the engine beside the engine's other listeners ({@link EngineListener#all}). Intake thread, as the listener's
 * calls are.
 *
 * <p>The share is computed in {@code dispatch}, beside the rate limits it scales; this half stays here because it
 * speaks Kafka's types, which {@code dispatch} does not know.
 */
final class GroupShareListener implements EngineListener {

    private final GroupShare share;

    GroupShareListener(GroupShare share) {
        this.share = share;
    }

    @Override
    public void onAssigned(Collection<TopicPartition> partitions) {
        share.assigned(numbers(partitions));
    }

    @Override
    public void onRevoked(Collection<TopicPartition> partitions) {
        share.released(numbers(partitions));
    }

    @Override
    public void onLost(Collection<TopicPartition> partitions) {
        share.released(numbers(partitions));
    }

    @Override
    public void onPolled(IntakeView view) {
        share.polled();
    }

    private static List<Integer> numbers(Collection<TopicPartition> partitions) {
        return partitions.stream().map(TopicPartition::partition).toList();
    }
}
