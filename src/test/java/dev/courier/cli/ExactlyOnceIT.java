package dev.courier.cli;

import static dev.courier.cli.EngineHarness.get;
import static dev.courier.cli.EngineHarness.only;
import static dev.courier.cli.RecordingTarget.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.courier.testkit.Closing;
import dev.courier.testkit.TestSandbox;
import dev.courier.testkit.WithSandbox;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The exactly-once engine: outcomes and offsets in one transaction, completed work never repeated. */
@WithSandbox
@Timeout(180)
class ExactlyOnceIT {

    private static final Map<String, String> EXACTLY_ONCE = Map.of("courier.delivery.guarantee", "exactly-once");

    private final TestSandbox sandbox;

    @AutoClose
    private final Closing closing = new Closing();

    ExactlyOnceIT(TestSandbox sandbox) {
        this.sandbox = sandbox;
    }

    @Test
    void resultsAndDeadLettersOfEveryKindAreCommittedOncePerEvent() throws Exception {
        RecordingTarget target = closing.add(new RecordingTarget(request -> request.getTarget().startsWith("/missing")
                ? status(404) : status(200)));
        EngineHarness engine = closing.add(new EngineHarness(sandbox, 2, with(Map.of())));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            ids.add("eo-" + i);
            engine.send("k" + i, get("eo-" + i, target.url((i % 3 == 0 ? "/missing" : "/ok") + "?i=" + i)));
        }
        engine.sendRaw("poison".getBytes(StandardCharsets.UTF_8), "not avro".getBytes(StandardCharsets.UTF_8));
        engine.start();

        OutcomeAudit.Outcomes outcomes = engine.awaitOutcomes(61, Duration.ofSeconds(60));

        assertThat(outcomes.missing(ids)).isEmpty();
        assertThat(outcomes.duplicated()).isEmpty();
        assertThat(outcomes.results()).hasSize(40);
        assertThat(outcomes.deadLetters()).hasSize(21);
        assertThat(only(outcomes.deadLetters(), "eo-0").get("category").textValue()).isEqualTo("HTTP_CLIENT_ERROR");
    }

    @Test
    void aKilledEngineLeavesExactlyOneOutcomePerEventEvenForWorkFinishedOutOfOrder() throws Exception {
        RecordingTarget target = closing.add(new RecordingTarget(request -> {
            int i = Integer.parseInt(request.getUrl().queryParameter("i"));
            return new MockResponse.Builder().code(i % 10 == 0 ? 503 : 200)
                    .headersDelay(i % 7 * 15L, TimeUnit.MILLISECONDS).build();
        }));
        EngineHarness harness = closing.add(new EngineHarness(sandbox, 3, with(Map.of())));
        int events = 600;
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            ids.add("kill-eo-" + i);
            harness.send("k" + (i % 50), get("kill-eo-" + i, target.url("/work?i=" + i)));
        }
        Map<String, String> settings = new HashMap<>(RunProcessIT.settingsOf(harness, Map.of(
                "courier.workers", "16", "courier.max-in-flight", "100", "courier.ordering", "unordered",
                "courier.transactional-id", "exactly-once-it")));
        settings.putAll(EXACTLY_ONCE);

        for (int kill = 1; kill <= 2; kill++) {
            int before = target.arrivals("/work").size();
            CourierProcess run = closing.add(CourierProcess.start(settings, "run"));
            await().atMost(Duration.ofSeconds(60)).until(() -> target.arrivals("/work").size() >= before + events / 4);
            run.kill();
        }
        CourierProcess last = closing.add(CourierProcess.start(settings, "run"));
        await().atMost(Duration.ofSeconds(120)).until(() -> harness.outcomes().missing(ids).isEmpty());
        assertThat(last.terminate(60)).as(last.output()).isEqualTo(143);

        OutcomeAudit.Outcomes outcomes = harness.outcomes();
        assertThat(outcomes.missing(ids)).isEmpty();
        assertThat(outcomes.duplicated()).as(last.output()).isEmpty();
        assertThat(outcomes.results().size() + outcomes.deadLetters().size()).isEqualTo(events);
    }

    @Test
    void aSecondInstanceJoiningMidRunKeepsExactlyOneOutcomePerEvent() throws Exception {
        RecordingTarget target = closing.add(new RecordingTarget(request -> new MockResponse.Builder().code(200)
                .headersDelay(Integer.parseInt(request.getUrl().queryParameter("i")) % 5 * 20L, TimeUnit.MILLISECONDS)
                .build()));
        EngineHarness first = closing.add(new EngineHarness(sandbox, 4, with(Map.of("courier.workers", "4",
                "courier.ordering", "unordered"))));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            ids.add("join-eo-" + i);
            first.send("k" + i, get("join-eo-" + i, target.url("/join?i=" + i)));
        }
        first.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> target.arrivals("/join").size() >= 40);
        java.util.concurrent.atomic.AtomicInteger assigned = new java.util.concurrent.atomic.AtomicInteger();
        closing.add(Engine.start(first.settings(), new dev.courier.intake.EngineListener() {
            @Override
            public void onAssigned(java.util.Collection<org.apache.kafka.common.TopicPartition> partitions) {
                assigned.addAndGet(partitions.size());
            }
        }));
        await().atMost(Duration.ofSeconds(30)).until(() -> assigned.get() > 0);
        assertThat(target.arrivals("/join")).as("the run outlasts the rebalance").hasSizeLessThan(400);

        await().atMost(Duration.ofSeconds(90)).until(() -> first.outcomes().missing(ids).isEmpty());

        OutcomeAudit.Outcomes outcomes = first.outcomes();
        assertThat(outcomes.duplicated()).isEmpty();
        assertThat(outcomes.results()).hasSize(400);
    }

    private static Map<String, String> with(Map<String, String> extra) {
        Map<String, String> settings = new HashMap<>(EXACTLY_ONCE);
        settings.putAll(extra);
        return settings;
    }
}
