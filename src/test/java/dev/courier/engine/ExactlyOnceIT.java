package dev.courier.engine;

import static dev.courier.engine.EngineHarness.get;
import static dev.courier.engine.EngineHarness.only;
import static dev.courier.testkit.RecordingTarget.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.courier.testkit.Closing;
import dev.courier.testkit.CourierProcess;
import dev.courier.testkit.EventTarget;
import dev.courier.testkit.RecordingTarget;
import dev.courier.testkit.TestSandbox;
import dev.courier.testkit.WithSandbox;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
    void twoInstancesGivenOneTransactionalIdStopOneOfThemNamingTheSetting() throws Exception {
        // the first instance's calls wait until the second has taken the id over, so that their outcomes go into a
        // transaction the second fenced: an idle instance learns of the fence only at its next transaction
        CountDownLatch secondStarted = new CountDownLatch(1);
        EventTarget target = closing.add(new EventTarget((id, call) -> {
            secondStarted.await(60, TimeUnit.SECONDS);
            return EventTarget.status(200);
        }));
        EngineHarness harness = closing.add(new EngineHarness(sandbox, 2, with(Map.of(
                "courier.transactional-id", "shared-" + java.util.UUID.randomUUID()))));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ids.add("shared-" + i);
            harness.sendAsync("k" + i, get("shared-" + i, target.url("shared-" + i)));
        }
        harness.flush();
        CourierProcess first = closing.add(CourierProcess.start(harness.processSettings(Map.of(
                "courier.delivery.guarantee", "exactly-once", "courier.workers", "4",
                "courier.transactional-id", harness.settings().delivery().transactionalId())), "run"));
        await("the first instance's workers in calls").atMost(Duration.ofSeconds(60))
                .until(() -> target.eventsCalled() >= 4);

        Engine second = closing.add(harness.start());
        secondStarted.countDown();

        try {
            await("the fenced instance stops by itself").atMost(Duration.ofSeconds(60)).until(() -> !first.isAlive());
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("the fenced instance kept running; second engine's failure: " + second.failure()
                    + "; its output:\n" + first.outputTail(6000), e);
        }
        int exitCode = first.terminate(1);
        assertThat(exitCode).as("the fenced instance's exit code; output:%n%s", first.outputTail(3000)).isEqualTo(1);
        assertThat(first.output()).contains("another producer uses the transactional id")
                .contains("courier.transactional-id");
        harness.awaitEvery(ids, Duration.ofSeconds(90));
        assertThat(second.failure()).as("the instance that took the id over").isNull();
        Offenders.assertNone("have more than one outcome", harness.outcomes().duplicated());
    }

    private static Map<String, String> with(Map<String, String> extra) {
        Map<String, String> settings = new HashMap<>(EXACTLY_ONCE);
        settings.putAll(extra);
        return settings;
    }
}
