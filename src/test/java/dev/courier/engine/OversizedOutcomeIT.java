package dev.courier.engine;

import static dev.courier.engine.EngineHarness.get;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.courier.model.RequestSpec;
import dev.courier.testkit.Closing;
import dev.courier.testkit.EventTarget;
import dev.courier.testkit.TestSandbox;
import dev.courier.testkit.WithSandbox;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Outcomes that would be over the broker's size limit are published in a smaller form, in both guarantees, and
 * the stream goes on: a record with a 600 KiB key that is not an event, and an event with 900 KiB of attributes
 * whose response fills the body cap.
 */
@WithSandbox
@Timeout(120)
class OversizedOutcomeIT {

    private final TestSandbox sandbox;
    @AutoClose
    private final Closing closing = new Closing();

    OversizedOutcomeIT(TestSandbox sandbox) {
        this.sandbox = sandbox;
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Guarantee.class)
    void oversizedOutcomesAreReducedToFitAndTheStreamGoesOn(Guarantee guarantee) throws Exception {
        EventTarget target = closing.add(new EventTarget((id, call) -> id.equals("big")
                ? new MockResponse.Builder().code(200).body("b".repeat(300 * 1024)).build()
                : EventTarget.status(200)));
        EngineHarness harness = closing.add(new EngineHarness(sandbox, 1,
                guarantee.settings("oversized-" + guarantee)));
        harness.sendRaw(new byte[600 * 1024], "not an event".getBytes(StandardCharsets.UTF_8));
        RequestSpec big = new RequestSpec("big", "GET", target.url("big"), null, null, Map.of(), null, null, null,
                null, null, null, null, null, Map.of("blob", "a".repeat(900 * 1024)));
        harness.send("big-key", big);
        List<String> ids = new ArrayList<>(List.of("big"));
        for (int i = 0; i < 50; i++) {
            ids.add("after-" + i);
            harness.send("k" + i, get("after-" + i, target.url("after-" + i)));
        }

        Engine engine = harness.start();
        OutcomeAudit.Outcomes outcomes = harness.awaitOutcomes(52, Duration.ofSeconds(60));

        assertThat(engine.failure()).as("the engine stopped").isNull();
        Offenders.assertNone("have no outcome", outcomes.missing(ids));
        Offenders.assertNone("have more than one outcome", outcomes.duplicated());
        ObjectNode result = EngineHarness.only(outcomes.results(), "big");
        assertThat(result.get("bodyTruncated").booleanValue()).isTrue();
        assertThat(result.path("body").asText("")).isEmpty();
        assertThat(result.get("attributes").get("blob").textValue()).hasSize(900 * 1024);
        List<ObjectNode> undecodable = outcomes.deadLetters().stream()
                .filter(letter -> letter.get("category").textValue().equals("UNDECODABLE")).toList();
        assertThat(undecodable).hasSize(1);
        assertThat(undecodable.get(0).has("rawKeyBase64")).isFalse();
        assertThat(undecodable.get(0).get("errorMessage").textValue()).contains("the raw key (614400 bytes)");
    }
}
