package dev.courier.dispatch;

import static dev.courier.dispatch.DispatcherPushbackTest.state;
import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.model.AttemptResult.Failure;
import dev.courier.model.FailureCategory;
import dev.courier.model.HttpMethod;
import dev.courier.model.Outcome;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Each host's circuit breaker, in virtual time. */
class DispatcherCircuitTest {

    private static final String[] SMALL_CIRCUIT = {"courier.circuit.window", "4", "courier.circuit.failure-ratio",
            "0.5", "courier.circuit.open-wait", "1s", "courier.circuit.probes", "1"};

    @Test
    void failedCallsOpenTheHostsCircuitWhileOtherHostsAreCalled() {
        VirtualDispatch dispatch = new VirtualDispatch(SMALL_CIRCUIT);
        openTheCircuitOfA(dispatch);

        dispatch.submit(Requests.get("a5", "a.example.com"));
        dispatch.submit(Requests.get("b1", "b.example.com"));
        dispatch.time.runUntil(Duration.ofMillis(500));

        assertThat(state(dispatch).circuits()).containsEntry("https://a.example.com:443", "OPEN");
        assertThat(dispatch.caller.startsOf("a5")).as("waiting at the open circuit").isEmpty();
        assertThat(dispatch.caller.startsOf("b1")).containsExactly(Duration.ZERO);
    }

    @Test
    void anOpenCircuitIsProbedAfterItsWaitAndClosesWhenTheProbeSucceeds() {
        VirtualDispatch dispatch = new VirtualDispatch(SMALL_CIRCUIT);
        openTheCircuitOfA(dispatch);

        dispatch.submit(Requests.get("a5", "a.example.com"));
        dispatch.submit(Requests.get("a6", "a.example.com"));
        dispatch.time.runUntilIdle();

        assertThat(dispatch.caller.startsOf("a5")).as("the probe").hasSize(1)
                .allSatisfy(start -> assertThat(start).isGreaterThanOrEqualTo(Duration.ofSeconds(1)));
        assertThat(dispatch.caller.startsOf("a6")).hasSize(1);
        assertThat(state(dispatch).circuits()).containsEntry("https://a.example.com:443", "CLOSED");
        assertThat(dispatch.listener.outcomeOf("a5")).isInstanceOf(Outcome.Result.class);
        assertThat(dispatch.listener.outcomeOf("a5").attempts().count())
                .as("waiting used no attempt").isEqualTo(1);
    }

    @Test
    void anEventThatExpiresAtAnOpenCircuitSaysTheCircuitWasOpen() {
        VirtualDispatch dispatch = new VirtualDispatch(SMALL_CIRCUIT);
        openTheCircuitOfA(dispatch);

        dispatch.submit(Requests.request("a5", HttpMethod.GET, "a.example.com", null,
                VirtualTime.EPOCH.plusMillis(300), null, "a.example.com"));
        dispatch.time.runUntilIdle();

        Outcome.DeadLetter dead = (Outcome.DeadLetter) dispatch.listener.outcomeOf("a5");
        assertThat(dead.category()).isEqualTo(FailureCategory.EXPIRED);
        assertThat(dead.message()).contains("circuit of host a.example.com was open");
        assertThat(dispatch.caller.startsOf("a5")).isEmpty();
    }

    @Test
    void aWindowOfZeroTurnsCircuitBreakingOff() {
        VirtualDispatch dispatch = new VirtualDispatch("courier.circuit.window", "0");
        openTheCircuitOfA(dispatch);

        dispatch.submit(Requests.get("a5", "a.example.com"));
        dispatch.time.runUntilIdle();

        assertThat(dispatch.caller.startsOf("a5")).containsExactly(Duration.ZERO);
        assertThat(state(dispatch).circuits()).containsEntry("https://a.example.com:443", "CLOSED");
    }

    /** Four calls to a.example.com that fail to connect, one attempt each. */
    private static void openTheCircuitOfA(VirtualDispatch dispatch) {
        for (int i = 1; i <= 4; i++) {
            dispatch.caller.script("a" + i, Results.failure(Failure.Kind.NOT_SENT, "connection refused"));
            dispatch.submit(Requests.request("a" + i, HttpMethod.GET, "a.example.com", 1, null, null,
                    "a.example.com"));
        }
        dispatch.time.runUntil(Duration.ZERO);
    }
}
