package dev.courier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.dispatch.RateShare;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The dispatcher's share of the group's budgets follows the partitions of the requests topic this instance owns. */
class GroupShareTest {

    private final List<RateShare> shares = new ArrayList<>();
    private final GroupShare share = new GroupShare(6, shares::add);

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
    void aPartitionBeyondTheCountReadAtStartRaisesIt() {
        share.onAssigned(partitions(0, 7));

        assertThat(shares).containsExactly(new RateShare(2, 8));
    }

    private static List<TopicPartition> partitions(int... numbers) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (int number : numbers) {
            partitions.add(new TopicPartition("courier.requests", number));
        }
        return partitions;
    }
}
