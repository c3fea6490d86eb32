package dev.courier.engine;

import static dev.courier.engine.EngineHarness.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two instances of one group share a budget of 100 calls a second to one host (courier.rate.scope=group, the
 * default), measured at the target: together they stay under rate × t + burst in every window and make at least
 * 90/s while both are busy; once one leaves, the other takes the whole budget after that one rebalance.
 */
@WithSandbox
@Timeout(120)
class RateBudgetIT {

    private static final int PARTITIONS = 4;
    private static final int EVENTS = 1_500;
    private static final double RATE = 100;
    private static final int BURST = 10;
    private static final long SECOND = 1_000_000_000L;
    private static final int WORKERS = 8;
    private static final int WARM_UP = 50;

    private final TestSandbox sandbox;
    @AutoClose
    private final Closing closing = new Closing();

    RateBudgetIT(TestSandbox sandbox) {
        this.sandbox = sandbox;
    }

    @Test
    void twoInstancesTogetherKeepToOneBudgetAndTheOneLeftTakesItAll() throws Exception {
        RecordingTarget target = closing.add(new RecordingTarget(request -> RecordingTarget.status(200)));
        EngineHarness harness = closing.add(new EngineHarness(sandbox, PARTITIONS, Map.of(
                "courier.rate.per-key", "100", "courier.rate.per-key-burst", Integer.toString(BURST),
                "courier.ordering", "unordered", "courier.max-in-flight", "400", "courier.workers",
                Integer.toString(WORKERS))));
        Instance first = start(harness);
        Instance second = start(harness);
        await("both instances have partitions").atMost(Duration.ofSeconds(60))
                .until(() -> !first.partitions.isEmpty() && !second.partitions.isEmpty()
                        && first.partitions.size() + second.partitions.size() == PARTITIONS);

        // connections and code paths warmed up first: cold first calls hold the workers while tokens are taken
        for (int i = 0; i < WARM_UP; i++) {
            harness.sendAsync("w" + i, get("w" + i, target.url("/w" + i)));
        }
        harness.flush();
        await("the warm-up calls").atMost(Duration.ofSeconds(30)).until(() -> target.requestCount() >= WARM_UP);
        for (int i = 0; i < EVENTS; i++) {
            harness.sendAsync("k" + i, get("r" + i, target.url("/r" + i)));
        }
        harness.flush();
        await("600 calls").atMost(Duration.ofSeconds(30)).until(() -> target.arrivals("/r").size() >= 600);
        List<RecordingTarget.Arrival> shared = target.arrivals("/r");
        double sharedRate = rate(shared, 100, 600);

        second.engine.close();
        await("the first instance owns every partition").atMost(Duration.ofSeconds(30))
                .until(() -> first.partitions.size() == PARTITIONS);
        int atHandover = target.arrivals("/r").size();
        await("300 more calls").atMost(Duration.ofSeconds(30))
                .until(() -> target.arrivals("/r").size() >= atHandover + 300);
        List<RecordingTarget.Arrival> all = target.arrivals("/r");
        double aloneRate = rate(all, atHandover + 50, atHandover + 300);
        int busiest = busiest(all, SECOND);
        System.out.printf("RateBudgetIT busiest 1s %d, 2s %d, 3s %d, 5s %d; first 600 in %.2f s%n", busiest,
                busiest(all, 2 * SECOND), busiest(all, 3 * SECOND), busiest(all, 5 * SECOND),
                (shared.get(599).nanos() - shared.get(0).nanos()) / 1e9);

        System.out.printf("RateBudgetIT two instances sharing %.0f/s (burst %d): %.1f/s together, %.1f/s for the one"
                + " left; busiest second %d calls%n", RATE, BURST, sharedRate, aloneRate, busiest);
        // A job takes its tokens before it waits for a worker, so calls that took theirs while every worker was busy
        // start together once workers free up: up to the workers of both instances above rate + burst.
        assertThat(busiest).as("calls in any one second: rate + burst, + the workers of both instances")
                .isLessThanOrEqualTo((int) RATE + BURST + 2 * WORKERS);
        assertThat(sharedRate).as("both busy").isBetween(0.9 * RATE, RATE * 1.02);
        assertThat(aloneRate).as("the one left, after the rebalance").isBetween(0.9 * RATE, RATE * 1.02);
    }

    /** Calls a second between arrival {@code from} and arrival {@code to}. */
    private static double rate(List<RecordingTarget.Arrival> arrivals, int from, int to) {
        long nanos = arrivals.get(to - 1).nanos() - arrivals.get(from).nanos();
        return (to - 1 - from) * (double) SECOND / nanos;
    }

    /** The most arrivals in any window of {@code window} nanoseconds that starts at an arrival. */
    private static int busiest(List<RecordingTarget.Arrival> arrivals, long window) {
        int most = 0;
        int end = 0;
        for (int start = 0; start < arrivals.size(); start++) {
            while (end < arrivals.size() && arrivals.get(end).nanos() - arrivals.get(start).nanos() < window) {
                end++;
            }
            most = Math.max(most, end - start);
        }
        return most;
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
