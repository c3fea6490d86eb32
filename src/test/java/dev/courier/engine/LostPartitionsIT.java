package dev.courier.engine;

import static dev.courier.engine.EngineHarness.get;
import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.intake.EngineListener;
import dev.courier.publish.Origin;
import dev.courier.testkit.Closing;
import dev.courier.testkit.EventTarget;
import dev.courier.testkit.TestSandbox;
import dev.courier.testkit.WithSandbox;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import mockwebserver3.MockResponse;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The intake thread stalls longer than {@code max.poll.interval.ms}, so the group drops the instance and its
 * partitions are lost, not revoked: their work in flight is dropped without a commit, the instance rejoins, and
 * every event still ends with its outcome (exactly one in exactly-once mode).
 */
@WithSandbox
@Timeout(150)
class LostPartitionsIT {

    private final TestSandbox sandbox;
    @AutoClose
    private final Closing closing = new Closing();

    LostPartitionsIT(TestSandbox sandbox) {
        this.sandbox = sandbox;
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Guarantee.class)
    void lostPartitionsDropTheirWorkWithoutCommittingAndEveryEventStillGetsItsOutcome(Guarantee guarantee)
            throws Exception {
        EventTarget target = closing.add(new EventTarget((id, call) -> new MockResponse.Builder().code(200)
                .headersDelay(20, TimeUnit.MILLISECONDS).build()));
        Map<String, String> settings = new HashMap<>(guarantee.settings("lost-" + guarantee));
        settings.putAll(Map.of("kafka.max.poll.interval.ms", "3000", "courier.workers", "8",
                "courier.max-in-flight", "50", "courier.ordering", "unordered"));
        EngineHarness harness = closing.add(new EngineHarness(sandbox, 2, settings));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            ids.add("lost-" + i);
            harness.sendAsync("k" + i, get("lost-" + i, target.url("lost-" + i)));
        }
        harness.flush();
        StallsOnce listener = new StallsOnce(200, Duration.ofSeconds(8));

        Engine engine = harness.start(listener);
        OutcomeAudit.Outcomes outcomes = harness.awaitEvery(ids, Duration.ofSeconds(120));

        assertThat(listener.lost).as("partitions lost while the intake thread stalled").isNotEmpty();
        assertThat(engine.failure()).isNull();
        Offenders.assertNone("have no outcome", outcomes.missing(ids));
        if (guarantee.exactlyOnce()) {
            Offenders.assertNone("have more than one outcome", outcomes.duplicated());
        }
        System.out.printf("LostPartitionsIT [%s] lost %s; HTTP calls per event: %s; duplicated outcomes %d%n",
                guarantee, listener.lost, EventTarget.format(target.callHistogram(ids)), outcomes.duplicated().size());
    }

    /** Stalls the intake thread once, when it takes its {@code after}-th event, and records lost partitions. */
    private static final class StallsOnce implements EngineListener {

        final List<TopicPartition> lost = new CopyOnWriteArrayList<>();
        private final int after;
        private final Duration stall;
        private final AtomicBoolean stalled = new AtomicBoolean();
        private int taken;

        StallsOnce(int after, Duration stall) {
            this.after = after;
            this.stall = stall;
        }

        @Override
        public void onTaken(Origin origin) {
            if (++taken >= after && stalled.compareAndSet(false, true)) {
                try {
                    Thread.sleep(stall.toMillis()); // the stall under test: longer than max.poll.interval.ms
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        @Override
        public void onLost(Collection<TopicPartition> partitions) {
            lost.addAll(partitions);
        }
    }
}
