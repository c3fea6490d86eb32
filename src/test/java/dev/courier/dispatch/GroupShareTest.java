package dev.courier.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The dispatcher's share of the group's budgets follows the partitions of the requests topic this instance owns. */
class GroupShareTest {

    private final List<RateShare> shares = new ArrayList<>();
    private int partitionCount = 6;
    private final GroupShare share = new GroupShare(() -> partitionCount, shares::add);

    @Test
    void eachAssignmentAndRevocationGivesTheShareOfThePartitionsOwned() {
        share.assigned(partitions(0, 1, 2));
        share.released(partitions(2));
        share.assigned(partitions(3, 4, 5, 2));

        assertThat(shares).containsExactly(new RateShare(3, 6), new RateShare(2, 6), new RateShare(6, 6));
    }

    @Test
    void givingUpEveryPartitionLeavesTheShareOfOne() {
        share.assigned(partitions(0, 1));
        share.released(partitions(0, 1));

        assertThat(shares).last().isEqualTo(new RateShare(0, 6));
        assertThat(shares.get(shares.size() - 1).fraction()).as("still the share of one partition").isEqualTo(1.0 / 6);
    }

    @Test
    void aRebalanceThatLeavesThePartitionsAsTheyWereTakesTheTopicsNewPartitionCount() {
        share.assigned(partitions(0, 1, 2, 3, 4, 5));
        partitionCount = 12; // the topic grew, and the new partitions went to another instance

        share.assigned(partitions());

        assertThat(shares).containsExactly(new RateShare(6, 6), new RateShare(6, 12));
    }

    @Test
    void aPollAfterTheConsumersMetadataShowsMorePartitionsGivesTheNewShare() {
        share.assigned(partitions(0, 1, 2));
        share.polled();
        partitionCount = 12;
        share.polled();
        share.polled();

        assertThat(shares).containsExactly(new RateShare(3, 6), new RateShare(3, 12));
    }

    @Test
    void eachReleaseTakesTheCountAgainToo() {
        share.assigned(partitions(0, 1));
        partitionCount = 8;
        share.released(partitions(1));
        partitionCount = 10;
        share.released(partitions(0));

        assertThat(shares).containsExactly(new RateShare(2, 6), new RateShare(1, 8), new RateShare(0, 10));
    }

    @Test
    void whenTheCountCannotBeReadTheLastOneIsKeptAndAnOwnedPartitionBeyondItRaisesIt() {
        share.assigned(partitions(0));
        GroupShare failing = new GroupShare(() -> {
            throw new IllegalStateException("no metadata");
        }, shares::add);

        failing.assigned(partitions(0, 7));

        assertThat(shares).containsExactly(new RateShare(1, 6), new RateShare(2, 8));
    }

    private static List<Integer> partitions(int... numbers) {
        List<Integer> partitions = new ArrayList<>();
        for (int number : numbers) {
            partitions.add(number);
        }
        return partitions;
    }
}
