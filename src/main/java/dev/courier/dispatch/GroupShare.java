package dev.courier.dispatch;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's share of the group's rate budgets ({@code courier.rate.scope=group}), followed as the partitions of
 * the requests topic it owns change: the partitions owned over all of them, handed to the dispatcher
 * ({@link Dispatcher#setShare}) on every change (assignment, revocation, loss, and a rebalance that left this
 * instance's partitions as they were). The count of all partitions is read at each change, so when the topic gains
 * partitions every instance takes the new count at the rebalance that hands them out, those whose own partitions did
 * not change too; an instance whose count was older at that rebalance takes it at the first {@link #polled} that
 * reads a larger one. A partition owned beyond the count raises it.
 *
 * <p>Knows partitions by number only: whoever hears the consumer's rebalances tells it (the engine, which knows
 * Kafka; this package does not). Not thread-safe: one thread calls it, the intake thread, as the consumer's rebalance
 * callbacks run there.
 */
public final class GroupShare {

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
    public GroupShare(IntSupplier partitionCount, Consumer<RateShare> dispatcher) {
        this.partitionCount = partitionCount;
        this.dispatcher = dispatcher;
        this.total = 1;
    }

    /** Partitions (by number) this instance was assigned; an empty assignment takes the count again all the same. */
    public void assigned(Collection<Integer> partitions) {
        owned.addAll(partitions);
        share();
    }

    /** Partitions (by number) this instance gave up, revoked or lost. */
    public void released(Collection<Integer> partitions) {
        owned.removeAll(partitions);
        share();
    }

    /** The consumer polled: a new share when the partition count, read without a request, grew since the last one. */
    public void polled() {
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
