package dev.courier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.dispatch.RateShare;
import dev.courier.intake.EngineListener;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The dispatcher's share of the group's budgets follows the partitions of the requests topic this instance owns. */
class GroupShareTest {

    private final List<RateShare> shares = new ArrayList<>();
    private final List<String> passedOn = new ArrayList<>();
    private final GroupShare share = new GroupShare(new EngineListener() {
        @Override
        public void onAssigned(Collection<TopicPartition> partitions) {
            passedOn.add("assigned " + partitions.size());
        }

        @Override
        public void onRevoked(Collection<TopicPartition> partitions) {
            passedOn.add("revoked " + partitions.size());
        }
    }, 6, shares::add);

    @Test
    void eachAssignmentAndRevocationGivesTheShareOfThePartitionsOwned() {
        share.onAssigned(partitions(0, 1, 2));
        share.onRevoked(partitions(2));
        share.onAssigned(partitions(3, 4, 5, 2));

        assertThat(shares).containsExactly(new RateShare(3, 6), new RateShare(2, 6), new RateShare(6, 6));
        assertThat(passedOn).containsExactly("assigned 3", "revoked 1", "assigned 4");
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

    @Test
    void passesEveryCallOfTheListenerOnToTheNext() throws Exception {
        List<String> heard = new ArrayList<>();
        EngineListener next = (EngineListener) Proxy.newProxyInstance(EngineListener.class.getClassLoader(),
                new Class<?>[] {EngineListener.class}, (proxy, method, args) -> {
                    heard.add(method.getName());
                    return null;
                });
        GroupShare passing = new GroupShare(next, 6, shares::add);
        List<String> declared = new ArrayList<>();

        for (Method method : EngineListener.class.getMethods()) {
            if (Modifier.isStatic(method.getModifiers())) {
                continue;
            }
            declared.add(method.getName());
            Object[] args = new Object[method.getParameterCount()];
            for (int i = 0; i < args.length; i++) {
                Class<?> type = method.getParameterTypes()[i];
                args[i] = type == int.class ? 0 : type == Collection.class ? List.of() : null;
            }
            method.invoke(passing, args);
        }

        assertThat(heard).containsExactlyInAnyOrderElementsOf(declared);
    }

    private static List<TopicPartition> partitions(int... numbers) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (int number : numbers) {
            partitions.add(new TopicPartition("courier.requests", number));
        }
        return partitions;
    }
}
