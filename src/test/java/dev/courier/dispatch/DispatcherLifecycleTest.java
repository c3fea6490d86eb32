package dev.courier.dispatch;

import static dev.courier.dispatch.Results.failure;
import static dev.courier.dispatch.Results.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.model.AttemptResult;
import dev.courier.model.AttemptResult.Failure.Kind;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Abandoning, counting and closing, in virtual time. */
class DispatcherLifecycleTest {

    private final VirtualDispatch dispatch = new VirtualDispatch();

    @Test
    void abandonedEventsThatAreWaitingGetNoOutcomeAndNoMoreCalls() {
        dispatch.caller.script("r1", status(503));
        dispatch.submit(Requests.get("r1", "api.example.com"), "key-1");
        dispatch.submit(Requests.get("r2", "api.example.com"), "key-1");
        dispatch.submit(Requests.get("r3", "api.example.com"), "key-1");
        dispatch.time.runUntil(Duration.ofMillis(50));

        CompletableFuture<Integer> abandoned = dispatch.dispatcher.abandon(context -> !context.equals("r3"));
        dispatch.time.runUntilIdle();

        assertThat(abandoned).isCompletedWithValue(2);
        assertThat(dispatch.listener.abandoned()).containsExactlyInAnyOrder("r1", "r2");
        assertThat(dispatch.caller.calls()).extracting(ScriptedCaller.Call::id).containsExactly("r1", "r3");
        assertThat(dispatch.listener.outcomes()).extracting(RecordingListener.Reported::context).containsExactly("r3");
        // r3 no longer waits for r1's retry
        assertThat(dispatch.caller.startsOf("r3")).containsExactly(Duration.ofMillis(50));
        assertThat(dispatch.dispatcher.inFlight()).isZero();
    }

    @Test
    void anEventAbandonedDuringItsCallIsNotReportedAndItsKeyWaitsForTheCallToEnd() {
        dispatch.caller.duringCall(request -> {
            if (request.id().equals("r1")) {
                dispatch.dispatcher.abandon(context -> context.equals("r1"));
                dispatch.time.runDispatchTasks();
                assertThat(dispatch.caller.calls()).as("r2 waits for r1's call").hasSize(1);
            }
        });
        dispatch.submit(Requests.get("r1", "api.example.com"), "key-1");
        dispatch.submit(Requests.get("r2", "api.example.com"), "key-1");
        dispatch.time.runUntilIdle();

        assertThat(dispatch.listener.abandoned()).containsExactly("r1");
        assertThat(dispatch.listener.attemptsHeard("r1")).isZero();
        assertThat(dispatch.listener.outcomes()).extracting(RecordingListener.Reported::context).containsExactly("r2");
        assertThat(dispatch.dispatcher.inFlight()).isZero();
    }

    @Test
    void anEventWhoseOutcomeWasDeliveredIsNotAbandoned() {
        dispatch.submit(Requests.get("r1", "api.example.com"));
        dispatch.time.runUntilIdle();

        CompletableFuture<Integer> abandoned = dispatch.dispatcher.abandon(context -> true);
        dispatch.time.runUntilIdle();

        assertThat(abandoned).isCompletedWithValue(0);
        assertThat(dispatch.listener.abandoned()).isEmpty();
    }

    @Test
    void everyEventGetsExactlyOneOutcome() {
        VirtualDispatch busy = new VirtualDispatch("courier.workers", "3", "courier.http.per-host-concurrency", "2",
                "courier.rate.per-key", "20", "courier.rate.global", "50");
        AttemptResult[][] scripts = {
            {status(200)}, {status(503), status(200)}, {status(404)}, {status(503)},
            {failure(Kind.NOT_SENT, "refused"), status(201)}, {failure(Kind.INVALID, "too big")},
        };
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            String id = "r" + i;
            ids.add(id);
            busy.caller.script(id, scripts[i % scripts.length]);
            busy.submit(Requests.get(id, "host" + (i % 7) + ".example.com"), i % 3 == 0 ? "key-" + (i % 11) : null);
        }
        busy.time.runUntilIdle();

        assertThat(busy.listener.outcomes()).hasSize(300);
        for (String id : ids) {
            busy.listener.outcomeOf(id);
        }
        assertThat(busy.dispatcher.inFlight()).isZero();
    }

    @Test
    void inFlightCountsEventsUntilTheyAreReportedOrAbandoned() {
        dispatch.caller.script("r1", status(503), status(200));
        dispatch.caller.script("r3", status(503));

        dispatch.submit(Requests.get("r1", "api.example.com"));
        dispatch.submit(Requests.get("r2", "api.example.com"));
        dispatch.submit(Requests.get("r3", "api.example.com"));
        assertThat(dispatch.dispatcher.inFlight()).isEqualTo(3);

        dispatch.time.runUntil(Duration.ofMillis(10));
        assertThat(dispatch.dispatcher.inFlight()).as("r1 and r3 wait to retry").isEqualTo(2);

        dispatch.dispatcher.abandon(context -> context.equals("r3"));
        dispatch.time.runUntilIdle();
        assertThat(dispatch.dispatcher.inFlight()).isZero();
    }

    @Test
    void drainingAbandonsWaitingEventsAndLetsTheCallsInProgressReport() {
        dispatch.caller.script("r3", status(503), status(200));
        dispatch.submit(Requests.get("r3", "api.example.com"));
        dispatch.time.runUntil(Duration.ofMillis(10));
        dispatch.caller.duringCall(request -> {
            if (request.id().equals("r1")) {
                dispatch.dispatcher.drain();
                dispatch.time.runDispatchTasks();
            }
        });

        dispatch.submit(Requests.get("r1", "api.example.com"), "key-1");
        dispatch.submit(Requests.get("r2", "api.example.com"), "key-1");
        dispatch.time.runUntilIdle();

        assertThat(dispatch.listener.outcomes()).extracting(RecordingListener.Reported::context).containsExactly("r1");
        assertThat(dispatch.listener.abandoned()).containsExactlyInAnyOrder("r2", "r3");
        assertThat(dispatch.caller.calls()).extracting(ScriptedCaller.Call::id).containsExactly("r3", "r1");
        assertThat(dispatch.dispatcher.inFlight()).isZero();
    }

    @Test
    void aCallInProgressThatWouldBeRetriedIsAbandonedWhenItEndsWhileDraining() {
        dispatch.caller.script("r1", status(503), status(200));
        dispatch.caller.duringCall(request -> {
            dispatch.dispatcher.drain();
            dispatch.time.runDispatchTasks();
        });

        dispatch.submit(Requests.get("r1", "api.example.com"));
        dispatch.time.runUntilIdle();

        assertThat(dispatch.listener.abandoned()).containsExactly("r1");
        assertThat(dispatch.listener.outcomes()).isEmpty();
        assertThat(dispatch.caller.calls()).hasSize(1);
        assertThat(dispatch.dispatcher.inFlight()).isZero();
    }

    @Test
    void eventsSubmittedWhileDrainingAreAbandonedWithoutACall() {
        dispatch.dispatcher.drain();
        dispatch.time.runUntilIdle();

        dispatch.submit(Requests.get("r1", "api.example.com"));
        dispatch.time.runUntilIdle();

        assertThat(dispatch.listener.abandoned()).containsExactly("r1");
        assertThat(dispatch.caller.calls()).isEmpty();
        assertThat(dispatch.dispatcher.inFlight()).isZero();
    }

    @Test
    void drainingSomeEventsLeavesTheOthersRunningAndNewOnesWelcome() {
        dispatch.caller.script("mine-waiting", status(503), status(200));
        dispatch.caller.script("mine-running", status(503), status(200));
        dispatch.caller.script("other", status(503), status(200));
        dispatch.submit(Requests.get("mine-waiting", "api.example.com"));
        dispatch.submit(Requests.get("other", "api.example.com"));
        dispatch.time.runUntil(Duration.ofMillis(10));
        dispatch.caller.duringCall(request -> {
            if (request.id().equals("mine-running")) {
                dispatch.dispatcher.drain(context -> context.startsWith("mine"));
                dispatch.time.runDispatchTasks();
            }
        });

        dispatch.submit(Requests.get("mine-running", "api.example.com"));
        dispatch.time.runUntilIdle();
        dispatch.submit(Requests.get("later", "api.example.com"));
        dispatch.time.runUntilIdle();

        assertThat(dispatch.listener.abandoned()).containsExactlyInAnyOrder("mine-waiting", "mine-running");
        assertThat(dispatch.listener.outcomes()).extracting(RecordingListener.Reported::context)
                .containsExactlyInAnyOrder("other", "later");
        assertThat(dispatch.dispatcher.inFlight()).isZero();
    }

    @Test
    void closeDropsWaitingEventsWithoutCallbacksAndClosesTheCaller() {
        dispatch.caller.script("r1", status(503));
        dispatch.submit(Requests.get("r1", "api.example.com"));
        dispatch.time.runUntil(Duration.ofMillis(10));

        dispatch.dispatcher.close();
        dispatch.time.runUntilIdle();

        assertThat(dispatch.caller.calls()).hasSize(1);
        assertThat(dispatch.listener.outcomes()).isEmpty();
        assertThat(dispatch.listener.abandoned()).isEmpty();
        assertThat(dispatch.caller.isClosed()).isTrue();
    }

    @Test
    void closeIsIdempotentAndLaterSubmissionsAreRefused() {
        dispatch.dispatcher.close();
        dispatch.dispatcher.close();

        assertThatThrownBy(() -> dispatch.submit(Requests.get("r1", "api.example.com")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the dispatcher is closed");
        assertThat(dispatch.dispatcher.abandon(context -> true)).isCompletedWithValue(0);
    }
}
