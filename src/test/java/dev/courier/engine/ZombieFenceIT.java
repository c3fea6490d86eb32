package dev.courier.engine;

import static dev.courier.engine.EngineHarness.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.courier.intake.EngineListener;
import dev.courier.testkit.Closing;
import dev.courier.testkit.CourierProcess;
import dev.courier.testkit.EventTarget;
import dev.courier.testkit.TestSandbox;
import dev.courier.testkit.WithSandbox;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Exactly-once: an instance frozen (SIGSTOP) past its transaction timeout is replaced by a new instance under the
 * same {@code courier.transactional-id}; thawed, the zombie finds its producer fenced. It must stop, and the
 * replacement keep running (issue 22, item 4): the zombie's transaction being older than its timeout does not make
 * it take the fence for the broker's own abort.
 */
@WithSandbox
@Timeout(240)
class ZombieFenceIT {

    private static final int EVENTS = 600;

    private final TestSandbox sandbox;
    @AutoClose
    private final Closing closing = new Closing();

    ZombieFenceIT(TestSandbox sandbox) {
        this.sandbox = sandbox;
    }

    @Test
    void aZombieThawedAfterItsReplacementTookItsTransactionalIdStopsAndTheReplacementGoesOn() throws Exception {
        EventTarget target = closing.add(new EventTarget((id, call) -> new MockResponse.Builder().code(200)
                .headersDelay(50, TimeUnit.MILLISECONDS).build()));
        String transactionalId = "zombie-" + UUID.randomUUID();
        EngineHarness harness = closing.add(new EngineHarness(sandbox, 2, Map.of(
                "courier.delivery.guarantee", "exactly-once", "courier.transactional-id", transactionalId)));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            ids.add("z-" + i);
            harness.sendAsync("k" + i, get("z-" + i, target.url("z-" + i)));
        }
        harness.flush();
        // 2 workers at 50 ms a call: about 15 s of work, so the zombie has a transaction open when it is frozen; its
        // transaction timeout (8 s) is shorter than its session timeout (10 s), so by the time the replacement owns
        // its partitions the zombie's transaction is past its timeout
        CourierProcess zombie = closing.add(CourierProcess.start(harness.processSettings(Map.of(
                "courier.delivery.guarantee", "exactly-once", "courier.transactional-id", transactionalId,
                "courier.workers", "2", "kafka.transaction.timeout.ms", "8000", "courier.log.format", "text")),
                "run"));
        await("the first instance at work").atMost(Duration.ofSeconds(60)).until(() -> target.eventsCalled() >= 20);

        zombie.freeze();
        int calledWhenFrozen = (int) target.eventsCalled();
        Owner replacement = new Owner();
        Engine second = closing.add(Engine.start(harness.settings(), replacement));
        await("the replacement owns both partitions (the frozen instance's session expired) and is at work")
                .atMost(Duration.ofSeconds(90))
                .until(() -> replacement.partitions.size() == 2 && target.eventsCalled() >= calledWhenFrozen + 20);
        zombie.thaw();

        try {
            await("the zombie stops by itself").atMost(Duration.ofSeconds(60)).until(() -> !zombie.isAlive());
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("the zombie kept running; the replacement's failure: " + second.failure()
                    + "; the zombie's output:\n" + zombie.outputTail(6000), e);
        }
        assertThat(zombie.terminate(1)).as("the zombie's exit code; output:%n%s", zombie.outputTail(4000))
                .isEqualTo(1);
        assertThat(zombie.output()).contains("another producer uses the transactional id")
                .contains("courier.transactional-id");
        OutcomeAudit.Outcomes outcomes = harness.awaitEvery(ids, Duration.ofSeconds(120));
        System.out.printf("ZombieFenceIT the replacement %s; HTTP calls per event: %s%n",
                second.failure() == null ? "kept running" : "stopped: " + second.failure().getMessage(),
                EventTarget.format(target.callHistogram(ids)));
        assertThat(second.failure()).as("the replacement").isNull();
        Offenders.assertNone("have more than one outcome", outcomes.duplicated());
    }

    /** The partitions the replacement owns. */
    private static final class Owner implements EngineListener {

        private final Set<TopicPartition> partitions = ConcurrentHashMap.newKeySet();

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
