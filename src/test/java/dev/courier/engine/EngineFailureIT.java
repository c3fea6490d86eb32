package dev.courier.engine;

import static dev.courier.engine.EngineHarness.get;
import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.http.HttpCaller;
import dev.courier.http.OkHttpCaller;
import dev.courier.intake.EngineListener;
import dev.courier.model.AttemptResult;
import dev.courier.model.DispatchRequest;
import dev.courier.publish.Origin;
import dev.courier.testkit.Closing;
import dev.courier.testkit.RecordingTarget;
import dev.courier.testkit.TestSandbox;
import dev.courier.testkit.WithSandbox;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A defect on an event's path never leaves the event silently without an outcome and its partition stuck behind
 * it: Courier stops with a failure (exit 1), without committing, and a restart gives the event its outcome.
 */
@WithSandbox
@Timeout(120)
class EngineFailureIT {

    private final TestSandbox sandbox;
    @AutoClose
    private final Closing closing = new Closing();

    EngineFailureIT(TestSandbox sandbox) {
        this.sandbox = sandbox;
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Guarantee.class)
    void anErrorDuringACallStopsCourierAndARestartGivesTheEventItsOutcome(Guarantee guarantee) throws Exception {
        RecordingTarget target = closing.add(new RecordingTarget(request -> RecordingTarget.status(200)));
        EngineHarness harness = closing.add(new EngineHarness(sandbox, 1, guarantee.settings("failure-" + guarantee)));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ids.add("e-" + i);
            harness.send("k" + i, get("e-" + i, target.url("/e/" + i)));
        }
        AssertionError defect = new AssertionError("a defect while calling e-5");

        Engine broken = Engine.start(harness.settings(), EngineListener.NONE, new FailingOn("e-5", defect,
                OkHttpCaller.create(harness.settings(), Clock.systemUTC())));
        boolean stopped = broken.awaitStopped(Duration.ofSeconds(30));
        broken.close();

        assertThat(stopped).as("the engine stopped by itself").isTrue();
        assertThat(broken.failure()).isSameAs(defect);
        harness.start();
        OutcomeAudit.Outcomes outcomes = harness.awaitEvery(ids, Duration.ofSeconds(60));
        Offenders.assertNone("have no outcome", outcomes.missing(ids));
        if (guarantee.exactlyOnce()) {
            Offenders.assertNone("have more than one outcome", outcomes.duplicated());
        }
    }

    @Test
    void anErrorOnTheIntakeThreadStopsCourierWithAFailure() throws Exception {
        EngineHarness harness = closing.add(new EngineHarness(sandbox, 1, Map.of()));
        harness.send("k", get("only", "http://127.0.0.1:1/never-called"));
        AssertionError defect = new AssertionError("a defect on the intake thread");

        Engine engine = harness.start(new EngineListener() {
            @Override
            public void onTaken(Origin origin) {
                throw defect;
            }
        });

        assertThat(engine.awaitStopped(Duration.ofSeconds(30))).as("the engine stopped").isTrue();
        assertThat(engine.failure()).as("what courier run turns into exit code 1").isSameAs(defect);
    }

    /** Delegates every call, except those of one event, which end in an {@link Error}. */
    private record FailingOn(String id, Error error, HttpCaller delegate) implements HttpCaller {

        @Override
        public AttemptResult call(DispatchRequest request, int attempt) {
            if (request.id().equals(id)) {
                throw error;
            }
            return delegate.call(request, attempt);
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
