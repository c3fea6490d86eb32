package dev.courier.engine;

import static dev.courier.engine.EngineHarness.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.courier.intake.EngineListener;
import dev.courier.model.AttemptResult;
import dev.courier.model.DispatchRequest;
import dev.courier.testkit.Closing;
import dev.courier.testkit.EventTarget;
import dev.courier.testkit.TestSandbox;
import dev.courier.testkit.WithSandbox;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockResponse;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Two instances share a group while events flow; a third joins and one of the first two leaves
 * cleanly, both while calls are in progress. No event is lost, and none gets a second outcome: a clean
 * handover is not a crash, in either mode.
 */
@WithSandbox
@Timeout(180)
class RebalanceIT {

    private static final int EVENTS = 2_500;
    private static final int PARTITIONS = 6;

    private final TestSandbox sandbox;
    @AutoClose
    private final Closing closing = new Closing();

    RebalanceIT(TestSandbox sandbox) {
        this.sandbox = sandbox;
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Guarantee.class)
    void aThirdInstanceJoiningAndAnotherLeavingMidRunLoseAndRepeatNothing(Guarantee guarantee) throws Exception {
        // every call takes 50 ms, and one event in 20 is answered 503 first, so some wait for a retry at the handover
        EventTarget target = closing.add(new EventTarget((id, call) -> call == 1 && id.hashCode() % 20 == 0
                ? EventTarget.status(503)
                : new MockResponse.Builder().code(200).headersDelay(50, TimeUnit.MILLISECONDS).build()));
        EngineHarness harness = closing.add(new EngineHarness(sandbox, PARTITIONS, Map.of("courier.workers", "4",
                "courier.max-in-flight", "40", "courier.ordering", "unordered", "courier.shutdown.drain-timeout", "10s")));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            String id = "r" + i;
            ids.add(id);
            harness.sendAsync("k" + i, get(id, target.url(id)));
        }
        harness.flush();

        Instance first = start(harness, guarantee, "rebalance-first");
        Instance second = start(harness, guarantee, "rebalance-second");
        await("both instances have partitions and calls are under way").atMost(Duration.ofSeconds(60))
                .until(() -> !first.partitions().isEmpty() && !second.partitions().isEmpty()
                        && target.eventsCalled() >= EVENTS / 10);

        int revokedFromFirstBeforeThird = first.revoked();
        Instance third = start(harness, guarantee, "rebalance-third");
        await("the third instance has partitions").atMost(Duration.ofSeconds(60))
                .until(() -> !third.partitions().isEmpty());
        int calledWhenThirdJoined = target.eventsCalled();
        second.engine().close();
        int calledWhenSecondLeft = target.eventsCalled();
        await("the second instance's partitions have new owners").atMost(Duration.ofSeconds(60))
                .until(() -> union(first.partitions(), third.partitions()).size() == PARTITIONS);
        int attemptsOfThirdAtHandover = third.attempts();
        int calledAtHandover = target.eventsCalled();

        await("every event has an outcome").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .until(() -> harness.outcomes().missing(ids).isEmpty());
        first.engine().close();
        third.engine().close();

        OutcomeAudit.Outcomes outcomes = harness.outcomes();
        System.out.printf("RebalanceIT [%s] %d events; the third joined at %d events called, the second left at %d, its partitions had new"
                + " owners at %d;"
                + " calls by the first %d, second %d, third %d; HTTP calls per event: %s; duplicated outcomes %d%n",
                guarantee, EVENTS, calledWhenThirdJoined, calledWhenSecondLeft, calledAtHandover, first.attempts(), second.attempts(),
                third.attempts(), EventTarget.format(target.callHistogram(ids)), outcomes.duplicated().size());
        assertThat(calledAtHandover).as("events still to call once the second instance's partitions had new owners")
                .isLessThan(EVENTS);
        assertThat(third.attempts()).as("calls made by the third instance after the handover")
                .isGreaterThan(attemptsOfThirdAtHandover);
        assertThat(second.revoked()).as("partitions the second instance gave back").isPositive();
        assertThat(first.revoked()).as("partitions the first instance gave to the third")
                .isGreaterThan(revokedFromFirstBeforeThird);
        assertThat(first.failure()).isNull();
        assertThat(third.failure()).isNull();
        Offenders.assertNone("have no outcome", outcomes.missing(ids));
        Offenders.assertNone("have more than one outcome", outcomes.duplicated());
    }

    private Instance start(EngineHarness harness, Guarantee guarantee, String transactionalId) {
        Instance instance = new Instance();
        instance.engine = closing.add(Engine.start(harness.settingsWith(guarantee.settings(transactionalId)), instance));
        return instance;
    }

    private static Set<TopicPartition> union(Set<TopicPartition> a, Set<TopicPartition> b) {
        Set<TopicPartition> union = new HashSet<>(a);
        union.addAll(b);
        return union;
    }

    /** One engine of the group and what it heard: its partitions now, how many it gave up, its calls. */
    private static final class Instance implements EngineListener {

        private final Set<TopicPartition> partitions = ConcurrentHashMap.newKeySet();
        private final AtomicInteger revoked = new AtomicInteger();
        private final AtomicInteger attempts = new AtomicInteger();
        private volatile Engine engine;

        @Override
        public void onAssigned(Collection<TopicPartition> assigned) {
            partitions.addAll(assigned);
        }

        @Override
        public void onRevoked(Collection<TopicPartition> taken) {
            partitions.removeAll(taken);
            revoked.addAndGet(taken.size());
        }

        @Override
        public void onAttempt(DispatchRequest request, int attempt, AttemptResult result) {
            attempts.incrementAndGet();
        }

        Set<TopicPartition> partitions() {
            return Set.copyOf(partitions);
        }

        /** Partitions taken from this instance so far, counted once per revocation. */
        int revoked() {
            return revoked.get();
        }

        int attempts() {
            return attempts.get();
        }

        Engine engine() {
            return engine;
        }

        Throwable failure() {
            return engine.failure();
        }
    }
}
