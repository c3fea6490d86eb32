package dev.courier.engine;

import static dev.courier.engine.EngineHarness.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.courier.testkit.Closing;
import dev.courier.testkit.CourierProcess;
import dev.courier.testkit.RecordingTarget;
import dev.courier.testkit.TestSandbox;
import dev.courier.testkit.WithSandbox;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code courier run} as a separate process: killed, terminated, started again. */
@WithSandbox
@Timeout(180)
class RunProcessIT {

    private final TestSandbox sandbox;
    @AutoClose
    private final Closing closing = new Closing();

    RunProcessIT(TestSandbox sandbox) {
        this.sandbox = sandbox;
    }

    @Test
    void sigtermDrainsAndCommitsSoARestartProducesNoDuplicates() throws Exception {
        RecordingTarget target = new RecordingTarget(request -> new MockResponse.Builder().code(200)
                .headersDelay(50, java.util.concurrent.TimeUnit.MILLISECONDS).build());
        closing.add(target);
        EngineHarness harness = new EngineHarness(sandbox, 2, Map.of());
        closing.add(harness);
        int events = 200;
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            ids.add("term-" + i);
            harness.send("k" + (i % 20), get("term-" + i, target.url("/term?i=" + i)));
        }
        Map<String, String> settings = harness.processSettings(Map.of("courier.workers", "4",
                "courier.shutdown.drain-timeout", "20s", "courier.log.format", "text"));

        CourierProcess first = CourierProcess.start(settings, "run");
        closing.add(first);
        await().atMost(Duration.ofSeconds(60)).until(() -> target.arrivals("/term").size() >= events / 4);
        assertThat(first.terminate(60)).as(first.output()).isEqualTo(143);
        assertThat(first.output()).as("what the operator reads, in order").containsSubsequence(
                "INFO  [main] dev.courier.engine.Engine - Courier is processing " + settings.get("courier.topics.requests")
                        + " into " + settings.get("courier.topics.results") + " and "
                        + settings.get("courier.topics.dead-letters") + " as group " + settings.get("courier.group-id")
                        + " with 4 workers, at most 1000 events in flight, no global rate limit, ordering key,"
                        + " delivery at-least-once",
                "Assigned [",
                "Stopping: ", " events in flight get up to 20s to finish",
                "Drained ", " events in ",
                "Committed what was finished",
                "Left the group; intake stopped ",
                "Stopped ");

        CourierProcess second = CourierProcess.start(settings, "run");
        closing.add(second);
        await().atMost(Duration.ofSeconds(90)).until(() -> harness.outcomes().missing(ids).isEmpty());
        assertThat(second.terminate(60)).isEqualTo(143);

        OutcomeAudit.Outcomes outcomes = harness.outcomes();
        assertThat(outcomes.missing(ids)).isEmpty();
        assertThat(outcomes.duplicated()).isEmpty();
        assertThat(outcomes.results()).hasSize(events);
        assertThat(target.arrivals("/term")).hasSize(events);
    }

    @Test
    void anUnreachableBrokerAtStartIsOneWaitingLineEveryFiveSecondsThenAClearError() throws Exception {
        CourierProcess run = CourierProcess.start(Map.of("kafka.bootstrap.servers", "127.0.0.1:1",
                "courier.connect-timeout", "7s", "courier.log.format", "text"), "run");
        closing.add(run);

        await().atMost(Duration.ofSeconds(60)).until(() -> !run.isAlive());

        String output = run.output();
        assertThat(output).doesNotContain("could not be established")
                .contains("Waiting for Kafka at 127.0.0.1:1 (0 s of 7 s)")
                .contains("Waiting for Kafka at 127.0.0.1:1 (5 s of 7 s)")
                .endsWith("courier run: Kafka at 127.0.0.1:1 did not answer within 7s; check kafka.bootstrap.servers"
                        + " and that the brokers are up\n");
        assertThat(output.lines().filter(line -> !line.contains("Admin server on"))).as(output)
                .hasSizeLessThanOrEqualTo(3);
    }

    @Test
    void anUnreachableRegistryAtStartIsAClearErrorNotAHang() throws Exception {
        EngineHarness harness = new EngineHarness(sandbox, 1, Map.of());
        closing.add(harness);
        Map<String, String> settings = harness.processSettings(Map.of("courier.schema-registry.url", "http://127.0.0.1:1",
                "courier.schema-registry.timeout", "2s"));
        CourierProcess run = CourierProcess.start(settings, "run");
        closing.add(run);

        await().atMost(Duration.ofSeconds(60)).until(() -> !run.isAlive());

        assertThat(run.output()).contains("courier run: schema registry http://127.0.0.1:1 is unreachable");
    }

    @Test
    void withoutTheStatusTopicRunStopsAtOnceSayingHowToCreateItOrTurnStatusesOff() throws Exception {
        EngineHarness harness = new EngineHarness(sandbox, 1, Map.of());
        closing.add(harness);
        String missing = "status-never-created-" + java.util.UUID.randomUUID();
        CourierProcess run = CourierProcess.start(harness.processSettings(Map.of("courier.status.enabled", "true",
                "courier.topics.status", missing)), "run");
        closing.add(run);

        await().atMost(Duration.ofSeconds(60)).until(() -> !run.isAlive());

        assertThat(run.output()).contains("courier run: the status topic " + missing + " does not exist; create it"
                + " with 'courier topics create' (it makes only the topics that are missing), or set"
                + " courier.status.enabled=false");
    }
}
