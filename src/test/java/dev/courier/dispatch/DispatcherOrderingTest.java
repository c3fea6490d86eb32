package dev.courier.dispatch;

import static dev.courier.dispatch.Results.status;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Ordering keys in virtual time: one key's events run one at a time, in submission order. */
class DispatcherOrderingTest {

    private final VirtualDispatch dispatch = new VirtualDispatch();

    @Test
    void eventsWithOneKeyRunInSubmissionOrderEachAfterThePreviousOneIsDecided() {
        dispatch.caller.script("e1", status(503), status(200));

        dispatch.submit(Requests.get("e1", "api.example.com"), "key-1");
        dispatch.submit(Requests.get("e2", "api.example.com"), "key-1");
        dispatch.submit(Requests.get("e3", "api.example.com"), "key-1");
        dispatch.time.runUntilIdle();

        assertThat(callOrder()).containsExactly("e1", "e1", "e2", "e3");
        assertThat(dispatch.caller.startsOf("e2")).containsExactly(Duration.ofMillis(100));
        assertThat(dispatch.listener.outcomes()).extracting(RecordingListener.Reported::context)
                .containsExactly("e1", "e2", "e3");
    }

    @Test
    void anotherKeyDoesNotWaitForTheFirst() {
        dispatch.caller.script("e1", status(503), status(200));

        dispatch.submit(Requests.get("e1", "api.example.com"), "key-1");
        dispatch.submit(Requests.get("f1", "api.example.com"), "key-2");
        dispatch.submit(Requests.get("g1", "api.example.com"));
        dispatch.time.runUntilIdle();

        assertThat(dispatch.caller.startsOf("f1")).containsExactly(Duration.ZERO);
        assertThat(dispatch.caller.startsOf("g1")).containsExactly(Duration.ZERO);
    }

    @Test
    void keysAreComparedByEquality() {
        dispatch.caller.script("e1", status(503), status(200));

        dispatch.submit(Requests.get("e1", "api.example.com"), new String("partition-0"));
        dispatch.submit(Requests.get("e2", "api.example.com"), new String("partition-0"));
        dispatch.time.runUntilIdle();

        assertThat(callOrder()).containsExactly("e1", "e1", "e2");
    }

    @Test
    void aKeyIsFreeAgainOnceItsEventsAreDone() {
        dispatch.submit(Requests.get("e1", "api.example.com"), "key-1");
        dispatch.time.runUntilIdle();
        dispatch.submit(Requests.get("e2", "api.example.com"), "key-1");
        dispatch.time.runUntilIdle();

        assertThat(callOrder()).containsExactly("e1", "e2");
        assertThat(dispatch.dispatcher.inFlight()).isZero();
    }

    private List<String> callOrder() {
        return dispatch.caller.calls().stream().map(ScriptedCaller.Call::id).toList();
    }
}
