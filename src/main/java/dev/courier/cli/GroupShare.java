package dev.courier.cli;

import dev.courier.dispatch.RateShare;
import dev.courier.intake.EngineListener;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Follows which partitions of the requests topic this instance owns and hands the dispatcher its share of the
 * group's rate budgets on every change (assignment, revocation, loss): the partitions owned over all of them. The
 * count of all partitions is read at start; a partition numbered beyond it (the topic grew) raises it. It hears the
 * engine beside the engine's other listeners ({@link EngineListener#all}). Intake thread, as the listener's calls
 * are.
 */
final class GroupShare implements EngineListener {

    private final Consumer<RateShare> dispatcher;
    private final Set<Integer> owned = new HashSet<>();
    private int total;

    /**
     * @param total      partitions of the requests topic at start
     * @param dispatcher where the share goes ({@code Dispatcher::setShare})
     */
    GroupShare(int total, Consumer<RateShare> dispatcher) {
        this.total = Math.max(1, total);
        this.dispatcher = dispatcher;
    }

    @Override
    public void onAssigned(Collection<TopicPartition> partitions) {
        partitions.forEach(partition -> {
            owned.add(partition.partition());
            total = Math.max(total, partition.partition() + 1);
        });
        dispatcher.accept(new RateShare(owned.size(), total));
    }

    @Override
    public void onRevoked(Collection<TopicPartition> partitions) {
        release(partitions);
    }

    @Override
    public void onLost(Collection<TopicPartition> partitions) {
        release(partitions);
    }

    private void release(Collection<TopicPartition> partitions) {
        partitions.forEach(partition -> owned.remove(partition.partition()));
        dispatcher.accept(new RateShare(owned.size(), total));
    }
}
