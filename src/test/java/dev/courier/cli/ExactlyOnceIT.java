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

    private static Map<String, String> with(Map<String, String> extra) {
        Map<String, String> settings = new HashMap<>(EXACTLY_ONCE);
        settings.putAll(extra);
        return settings;
    }
}
