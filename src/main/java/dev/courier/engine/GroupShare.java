package dev.courier.engine;

import dev.courier.dispatch.RateShare;
import dev.courier.intake.EngineListener;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows which partitions of the requests topic this instance owns and hands the dispatcher its share of the
 * group's rate budgets on every change (assignment, revocation, loss, and a rebalance that left this instance's
 * partitions as they were): the partitions owned over all of them. The count of all partitions is the topic's as
 * the engine's consumer knows it at that moment, so when the topic gains partitions every instance takes the new
 * count at the rebalance that hands them out, those whose own partitions did not change too; an instance whose
 * metadata was older at that rebalance takes it at the first poll after its consumer's next metadata refresh (within
 * {@code kafka.metadata.max.age.ms}). It hears the engine beside the engine's other listeners
 * ({@link EngineListener#all}). Intake thread, as the listener's calls are.
 */
final class GroupShare implements EngineListener {

    private static final Logger LOG = LoggerFactory.getLogger(GroupShare.class);

    private final IntSupplier partitionCount;
    private final Consumer<RateShare> dispatcher;
    private final Set<Integer> owned = new HashSet<>();
    private int total;

    /**
     * @param partitionCount the requests topic's partition count now (the engine's consumer's metadata, which it
     *                       keeps for the topic it subscribes to); it may throw, and the last count is kept then
     * @param dispatcher     where the share goes ({@code Dispatcher::setShare})
     */
    GroupShare(IntSupplier partitionCount, Consumer<RateShare> dispatcher) {
        this.partitionCount = partitionCount;
        this.dispatcher = dispatcher;
        this.total = 1;
    }

    @Override
    public void onAssigned(Collection<TopicPartition> partitions) {
        partitions.forEach(partition -> owned.add(partition.partition()));
        share();
    }

    @Override
    public void onRevoked(Collection<TopicPartition> partitions) {
        release(partitions);
    }

    @Override
    public void onLost(Collection<TopicPartition> partitions) {
        release(partitions);
    }

    /** The partition count, read from the consumer's metadata (no request), changed since the last share. */
    @Override
    public void onPolled(IntakeView view) {
        int count;
        try {
            count = partitionCount.getAsInt();
        } catch (RuntimeException e) {
            return; // the next assignment says so
        }
        if (count > total) {
            share();
        }
    }

    private void release(Collection<TopicPartition> partitions) {
        partitions.forEach(partition -> owned.remove(partition.partition()));
        share();
    }

    private void share() {
        try {
            total = Math.max(1, partitionCount.getAsInt());
        } catch (RuntimeException e) {
            LOG.warn("Cannot read the partition count of the requests topic ({}); the rate share keeps a total of {}",
                    e.getMessage(), total);
        }
        int highest = owned.stream().mapToInt(Integer::intValue).max().orElse(-1);
        total = Math.max(total, highest + 1);
        dispatcher.accept(new RateShare(owned.size(), total));
    }
}
