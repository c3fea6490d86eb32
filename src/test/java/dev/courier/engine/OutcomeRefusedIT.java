package dev.courier.engine;

import static dev.courier.engine.EngineHarness.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.courier.intake.EngineListener;
import dev.courier.testkit.Closing;
import dev.courier.testkit.EventTarget;
import dev.courier.testkit.TestSandbox;
import dev.courier.testkit.WithSandbox;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An outcome the broker refuses for good stops Courier in both guarantees, with the topic and the cause named and
 * nothing committed, rather than calling the event's target again and again (issue 22, item 1): a dead letter over
 * the dead-letter topic's {@code max.message.bytes} even in its minimal form (an operator lowered it while Courier
 * ran), and a result for a results topic that was deleted.
 */
@WithSandbox
@Timeout(240)
class OutcomeRefusedIT {

    private final TestSandbox sandbox;
    @AutoClose
    private final Closing closing = new Closing();

    OutcomeRefusedIT(TestSandbox sandbox) {
        this.sandbox = sandbox;
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Guarantee.class)
    void aDeadLetterTooLargeEvenInItsMinimalFormStopsCourierNamingTheTopic(Guarantee guarantee) throws Exception {
        EventTarget target = closing.add(new EventTarget((id, call) -> EventTarget.status(404)));
        EngineHarness harness = closing.add(new EngineHarness(sandbox, 1, guarantee.settings("refused-" + guarantee)));
        String deadLetters = harness.settings().topics().deadLetters();
        Assigned assigned = new Assigned();
        Engine engine = closing.add(harness.start(assigned));
        await("the engine owns the partition").atMost(Duration.ofSeconds(60)).until(() -> assigned.partitions > 0);
        try (Admin admin = harness.kafka().admin("test-alter")) {
            admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, deadLetters),
                    List.of(new AlterConfigOp(new ConfigEntry("max.message.bytes", "100"), AlterConfigOp.OpType.SET))))
                    .all().get(30, TimeUnit.SECONDS);
        }

        harness.send("k", get("gone", target.url("gone")));
        awaitStopOrCalls(engine, target, "gone");
        report("dead letter too large", guarantee, engine, target.calls("gone"));

        assertThat(engine.failure()).as("the engine stopped by itself, after %d calls of the event's target",
                target.calls("gone")).isNotNull();
        assertThat(engine.failure().getMessage()).contains(deadLetters).contains("too large");
        assertThat(target.calls("gone")).as("calls of the event's target").isLessThanOrEqualTo(5);
        assertThat(harness.outcomes().missing(List.of("gone"))).as("outcomes committed").containsExactly("gone");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Guarantee.class)
    void aResultsTopicDeletedWhileCourierRunsStopsItNamingTheTopic(Guarantee guarantee) throws Exception {
        EventTarget target = closing.add(new EventTarget((id, call) -> EventTarget.status(200)));
        Map<String, String> settings = new HashMap<>(guarantee.settings("deleted-" + guarantee));
        // the producer gives up on a record whose topic it cannot find within 10 s (Kafka's default is 2 minutes)
        settings.putAll(Map.of("kafka.delivery.timeout.ms", "10000", "kafka.request.timeout.ms", "5000"));
        if (!guarantee.exactlyOnce()) {
            settings.put("kafka.max.block.ms", "5000"); // exactly-once takes it from courier.commit.timeout (5 s)
        }
        EngineHarness harness = closing.add(new EngineHarness(sandbox, 1, settings));
        String results = harness.settings().topics().results();
        harness.send("k", get("before", target.url("before")));
        Engine engine = closing.add(harness.start());
        harness.awaitEvery(List.of("before"), Duration.ofSeconds(60));
        try (Admin admin = harness.kafka().admin("test-delete")) {
            admin.deleteTopics(Set.of(results)).all().get(30, TimeUnit.SECONDS);
        }

        harness.send("k", get("after", target.url("after")));
        awaitStopOrCalls(engine, target, "after");
        report("results topic deleted", guarantee, engine, target.calls("after"));

        assertThat(engine.failure()).as("the engine stopped by itself, after %d calls of the event's target",
                target.calls("after")).isNotNull();
        assertThat(engine.failure().getMessage()).contains(results).contains("does not exist");
        assertThat(target.calls("after")).as("calls of the event's target").isLessThanOrEqualTo(5);
    }

    /** Waits until the engine stops, or the event's target has been called more often than any stop allows. */
    private static void awaitStopOrCalls(Engine engine, EventTarget target, String id) {
        await("the engine stops, or calls the target of " + id + " again and again").atMost(Duration.ofSeconds(150))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> engine.failure() != null || target.calls(id) > 10);
    }

    private static void report(String scenario, Guarantee guarantee, Engine engine, int calls) {
        System.out.printf("OutcomeRefusedIT [%s] %s: %d calls of the event's target; %s%n", guarantee, scenario, calls,
                engine.failure() == null ? "still running" : "stopped: " + engine.failure().getMessage());
    }

    /** How many partitions the engine owns. */
    private static final class Assigned implements EngineListener {

        private volatile int partitions;

        @Override
        public void onAssigned(Collection<TopicPartition> assigned) {
            partitions += assigned.size();
        }
    }
}
