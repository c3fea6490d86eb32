package dev.courier.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.dispatch.GroupShare;
import dev.courier.dispatch.RateShare;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** What the engine's consumer hears reaches the dispatcher's group share as partition numbers. */
class GroupShareListenerTest {

    private final List<RateShare> shares = new ArrayList<>();
    private int partitionCount = 6;
    private final GroupShareListener listener = new GroupShareListener(
            new GroupShare(() -> partitionCount, shares::add));

    @Test
    void assignedRevokedAndLostPartitionsChangeTheShareByTheirNumbers() {
        listener.onAssigned(partitions(0, 1, 2, 3));
        listener.onRevoked(partitions(3));
        listener.onLost(partitions(0, 1));

        assertThat(shares).containsExactly(new RateShare(4, 6), new RateShare(3, 6), new RateShare(1, 6));
    }

    @Test
    void aPollTakesAGrownPartitionCount() {
        listener.onAssigned(partitions(0, 1, 2));
        partitionCount = 12;

        listener.onPolled(null);

        assertThat(shares).containsExactly(new RateShare(3, 6), new RateShare(3, 12));
    }

    private static List<TopicPartition> partitions(int... numbers) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (int number : numbers) {
            partitions.add(new TopicPartition("courier.requests", number));
        }
        return partitions;
    }
}
