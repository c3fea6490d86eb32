package dev.courier.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.model.DispatchRequest;
import dev.courier.model.FailureCategory;
import dev.courier.model.Outcome;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** A failure inside the dispatcher or its listener never leaves an event silently without an outcome. */
class DispatcherFailuresTest {

    private final VirtualTime time = new VirtualTime();
    private final ScriptedCaller caller = new ScriptedCaller(time);
    private final FailureListener listener = new FailureListener();

    @Test
    void aListenerThatThrowsOnAnOutcomeHearsThatTheEventMayHaveNone() {
        listener.throwOnOutcome = new IllegalStateException("cannot publish");
        Dispatcher<String> dispatcher = dispatcher(time.clock());

        dispatcher.submit(Requests.get("r1", "api.example.com"), null, "r1");
        time.runUntilIdle();

        assertThat(listener.failed).containsExactly("r1: java.lang.IllegalStateException: cannot publish");
        assertThat(dispatcher.inFlight()).isZero();
    }

    @Test
    void anErrorDuringAnAttemptIsReportedAsAnEventThatMayHaveNoOutcome() {
        listener.errorOnAttempt = new AssertionError("a defect");
        Dispatcher<String> dispatcher = dispatcher(time.clock());

        dispatcher.submit(Requests.get("r1", "api.example.com"), null, "r1");
        time.runUntilIdle();

        assertThat(listener.outcomes()).isEmpty();
        assertThat(listener.failed).containsExactly("r1: java.lang.AssertionError: a defect");
        assertThat(dispatcher.inFlight()).isZero();
    }

    @Test
    void aFailureInsideTheDispatcherEndsTheEventAsAnInternalErrorDeadLetter() {
        Clock breaksAfterTheCall = new Clock() {
            private int reads;

            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                if (++reads >= 2) { // every read after the attempt's start, such as deciding on its result
                    throw new IllegalStateException("the clock broke");
                }
                return time.clock().instant();
            }
        };
        Dispatcher<String> dispatcher = dispatcher(breaksAfterTheCall);

        dispatcher.submit(Requests.get("r1", "api.example.com"), null, "r1");
        time.runUntilIdle();

        Outcome.DeadLetter letter = (Outcome.DeadLetter) listener.outcomeOf("r1");
        assertThat(letter.category()).isEqualTo(FailureCategory.INTERNAL_ERROR);
        assertThat(letter.message()).contains("the clock broke");
        assertThat(dispatcher.inFlight()).isZero();
    }

    private Dispatcher<String> dispatcher(Clock clock) {
        return new Dispatcher<>(Requests.settings(), caller, listener, clock, time, time.workers(), () -> 0.5);
    }

    /** Records outcomes, and what {@code onOutcomeFailed} hears; throws where a test says so. */
    private static final class FailureListener implements DispatchListener<String> {

        final List<String> failed = new CopyOnWriteArrayList<>();
        final RecordingListener recorded = new RecordingListener();
        RuntimeException throwOnOutcome;
        Error errorOnAttempt;

        @Override
        public void onOutcome(String context, DispatchRequest request, Outcome outcome) {
            if (throwOnOutcome != null) {
                throw throwOnOutcome;
            }
            recorded.onOutcome(context, request, outcome);
        }

        @Override
        public void onAttempt(String context, DispatchRequest request, int attempt,
                dev.courier.model.AttemptResult result) {
            if (errorOnAttempt != null) {
                throw errorOnAttempt;
            }
        }

        @Override
        public void onOutcomeFailed(String context, Throwable error) {
            failed.add(context + ": " + error);
        }

        List<RecordingListener.Reported> outcomes() {
            return recorded.outcomes();
        }

        Outcome outcomeOf(String context) {
            return recorded.outcomeOf(context);
        }
    }
}
