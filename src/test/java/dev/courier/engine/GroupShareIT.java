package dev.courier.engine;

import static dev.courier.engine.EngineHarness.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.courier.dispatch.DispatchState;
import dev.courier.intake.EngineListener;
import dev.courier.testkit.Closing;
import dev.courier.testkit.RecordingTarget;
import dev.courier.testkit.TestSandbox;
import dev.courier.testkit.WithSandbox;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.common.TopicPartition;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The group's rate budget stays one budget when the requests topic gains partitions: every instance takes the topic's
 * new partition count as the total at the rebalance, those that kept their old partitions too, so the instances'
 * shares still add up to the whole (issue 22, item 2).
 */
@WithSandbox
@Timeout(150)
class GroupShareIT {

    private static final double RATE = 120;

    private final TestSandbox sandbox;
    @AutoClose
    private final Closing closing = new Closing();

    GroupShareIT(TestSandbox sandbox) {
        this.sandbox = sandbox;
    }

    @Test
    void afterTheRequestsTopicGrowsTheSharesOfTheGroupStillAddUpToItsBudget() throws Exception {
        RecordingTarget target = closing.add(new RecordingTarget(request -> RecordingTarget.status(200)));
        // the group's leader reads the topic's metadata every second, so it hands out new partitions soon after they
        // are made (Kafka's default is every five minutes)
        EngineHarness harness = closing.add(new EngineHarness(sandbox, 2, Map.of(
                "courier.rate.per-key", Double.toString(RATE), "courier.ordering", "unordered",
                "kafka.metadata.max.age.ms", "1000")));
        List<Instance> instances = List.of(start(harness), start(harness), start(harness));
        await("the three instances own the two partitions").atMost(Duration.ofSeconds(60))
                .until(() -> owned(instances) == 2);

        try (Admin admin = harness.kafka().admin("test-grow")) {
            admin.createPartitions(Map.of(harness.settings().topics().requests(), NewPartitions.increaseTo(4)))
                    .all().get(30, TimeUnit.SECONDS);
        }
        // three instances, four partitions: two keep the one they had, and the new ones go to the third
        await("the three instances own the four partitions, each at least one").atMost(Duration.ofSeconds(60))
                .until(() -> owned(instances) == 4 && instances.stream().noneMatch(i -> i.partitions.isEmpty()));
        for (int i = 0; i < 40; i++) {
            harness.sendAsync(i % 4, "k" + i, get("r-" + i, target.url("/r-" + i)));
        }
        harness.flush();
        await("every instance knows the target's key").atMost(Duration.ofSeconds(30))
                .until(() -> instances.stream().allMatch(instance -> rate(instance) > 0));

        StringBuilder shares = new StringBuilder();
        double sum = 0;
        for (Instance instance : instances) {
            shares.append(String.format(" %s at %.1f/s;", instance.partitions, rate(instance)));
            sum += rate(instance);
        }
        System.out.printf("GroupShareIT after the topic grew from 2 to 4 partitions:%s together %.1f/s%n", shares,
                sum);
        assertThat(sum).as("the shares of the group's budget of %.0f/s:%s", RATE, shares)
                .isCloseTo(RATE, Offset.offset(0.001));
    }

    private static int owned(List<Instance> instances) {
        return instances.stream().mapToInt(instance -> instance.partitions.size()).sum();
    }

    /** The instance's share of the per-key rate of the target's one host; 0 while it has no state for it. */
    private static double rate(Instance instance) {
        return stateOf(instance).keys().stream().mapToDouble(DispatchState.KeyStatus::configuredRate).sum();
    }

    private static DispatchState stateOf(Instance instance) {
        try {
            return instance.engine.dispatcher().state().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Instance start(EngineHarness harness) {
        Instance instance = new Instance();
        instance.engine = closing.add(Engine.start(harness.settings(), instance));
        return instance;
    }

    /** One engine of the group and the partitions it owns now. */
    private static final class Instance implements EngineListener {

        private final Set<TopicPartition> partitions = ConcurrentHashMap.newKeySet();
        private volatile Engine engine;

        @Override
        public void onAssigned(Collection<TopicPartition> assigned) {
            partitions.addAll(assigned);
        }

        @Override
        public void onRevoked(Collection<TopicPartition> revoked) {
            partitions.removeAll(revoked);
        }
    }
}
