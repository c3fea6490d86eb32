package dev.courier.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.dispatch.RateShare;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The dispatcher's share of the group's budgets follows the partitions of the requests topic this instance owns. */
class GroupShareTest {

    private final List<RateShare> shares = new ArrayList<>();
    private int partitionCount = 6;
    private final GroupShare share = new GroupShare(() -> partitionCount, shares::add);

    @Test
    void eachAssignmentAndRevocationGivesTheShareOfThePartitionsOwned() {
        share.onAssigned(partitions(0, 1, 2));
        share.onRevoked(partitions(2));
        share.onAssigned(partitions(3, 4, 5, 2));

        assertThat(shares).containsExactly(new RateShare(3, 6), new RateShare(2, 6), new RateShare(6, 6));
    }

    @Test
    void lostPartitionsAreGivenUpToo() {
        share.onAssigned(partitions(0, 1));
        share.onLost(partitions(0, 1));

        assertThat(shares).last().isEqualTo(new RateShare(0, 6));
        assertThat(shares.get(shares.size() - 1).fraction()).as("still the share of one partition").isEqualTo(1.0 / 6);
    }

    @Test
    void aRebalanceThatLeavesThePartitionsAsTheyWereTakesTheTopicsNewPartitionCount() {
        share.onAssigned(partitions(0, 1, 2, 3, 4, 5));
        partitionCount = 12; // the topic grew, and the new partitions went to another instance

        share.onAssigned(partitions());

        assertThat(shares).containsExactly(new RateShare(6, 6), new RateShare(6, 12));
    }

    @Test
    void aPollAfterTheConsumersMetadataShowsMorePartitionsGivesTheNewShare() {
        share.onAssigned(partitions(0, 1, 2));
        share.onPolled(null);
        partitionCount = 12;
        share.onPolled(null);
        share.onPolled(null);

        assertThat(shares).containsExactly(new RateShare(3, 6), new RateShare(3, 12));
    }

    @Test
    void eachRevocationAndLossTakesTheCountAgainToo() {
        share.onAssigned(partitions(0, 1));
        partitionCount = 8;
        share.onRevoked(partitions(1));
        partitionCount = 10;
        share.onLost(partitions(0));

        assertThat(shares).containsExactly(new RateShare(2, 6), new RateShare(1, 8), new RateShare(0, 10));
    }

    @Test
    void whenTheCountCannotBeReadTheLastOneIsKeptAndAnOwnedPartitionBeyondItRaisesIt() {
        share.onAssigned(partitions(0));
        GroupShare failing = new GroupShare(() -> {
            throw new org.apache.kafka.common.errors.TimeoutException("no metadata");
        }, shares::add);

        failing.onAssigned(partitions(0, 7));

        assertThat(shares).containsExactly(new RateShare(1, 6), new RateShare(2, 8));
    }

    private static List<TopicPartition> partitions(int... numbers) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (int number : numbers) {
            partitions.add(new TopicPartition("courier.requests", number));
        }
        return partitions;
    }
}
