package dev.courier.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.model.HttpMethod;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Pushback from a host pauses or slows that host, and only that host, whatever rate-limit keys its events name:
 * pauses asked for by response fields, and the adaptive rate after 429s. Virtual time; starts are read at the
 * (scripted) target.
 */
class DispatcherPushbackTest {

    static final String A = "https://a.example.com:443";
    static final String B = "https://b.example.com:443";

    @Test
    void aRetryAfterPausesEveryEventOfThatHostWhileOtherHostsGoOn() {
        VirtualDispatch dispatch = new VirtualDispatch();
        dispatch.caller.script("a1", Results.status(429, Map.of("Retry-After", "3")), Results.status(200));
        dispatch.submit(Requests.get("a1", "a.example.com"));
        dispatch.time.runUntil(Duration.ofSeconds(1));

        dispatch.submit(Requests.get("a2", "a.example.com"));
        dispatch.submit(Requests.get("b1", "b.example.com"));
        dispatch.time.runUntilIdle();

        assertThat(dispatch.caller.startsOf("b1")).containsExactly(Duration.ofSeconds(1));
        assertThat(dispatch.caller.startsOf("a2")).as("a sibling of the event that was told to wait")
                .containsExactly(Duration.ofSeconds(3));
        assertThat(dispatch.caller.startsOf("a1")).containsExactly(Duration.ZERO, Duration.ofSeconds(3));
    }

    @Test
    void aPauseHoldsEveryCallNotYetMadeEvenThoseAlreadyHandedToAWorker() {
        VirtualDispatch dispatch = new VirtualDispatch();
        dispatch.caller.script("a0", Results.status(429, Map.of("Retry-After", "3")), Results.status(200));
        for (int i = 0; i < 40; i++) {
            dispatch.submit(Requests.get("a" + i, "a.example.com"));
        }
        dispatch.time.runDispatchTasks();
        assertThat(dispatch.time.workerTasksWaiting()).as("all 40 handed to workers before any call").isEqualTo(40);

        dispatch.time.runUntilIdle();

        List<ScriptedCaller.Call> early = dispatch.caller.calls().stream()
                .filter(call -> call.at().compareTo(Duration.ofSeconds(3)) < 0).toList();
        assertThat(early).as("only the call that was answered 429 went before the pause ended")
                .containsExactly(new ScriptedCaller.Call("a0", 1, Duration.ZERO));
        assertThat(dispatch.listener.outcomes()).hasSize(40);
        assertThat(dispatch.caller.calls()).as("no attempt was used up by the wait").hasSize(41);
    }

    @Test
    void anEventCannotPauseAnotherHostByNamingItsRateLimitKey() {
        VirtualDispatch dispatch = new VirtualDispatch();
        // the publisher's own host answers 429 Retry-After: 10 to an event that names the other host's key
        dispatch.caller.script("mine", Results.status(429, Map.of("Retry-After", "10")), Results.status(200));
        dispatch.submit(Requests.request("mine", HttpMethod.GET, "mine.example.com", 1, null, null,
                "victim.example.com"));
        dispatch.time.runUntil(Duration.ofSeconds(1));

        dispatch.submit(Requests.get("theirs", "victim.example.com"));
        dispatch.time.runUntil(Duration.ofSeconds(2));

        assertThat(dispatch.caller.startsOf("theirs")).as("not delayed").containsExactly(Duration.ofSeconds(1));
        DispatchState state = state(dispatch);
        assertThat(state.host("https://mine.example.com:443").pausedFor()).isPositive();
        assertThat(state.host("https://victim.example.com:443").pausedFor()).isZero();
    }

    @Test
    void anEventCannotSlowAnotherHostByNamingItsRateLimitKey() {
        VirtualDispatch dispatch = new VirtualDispatch();
        for (int i = 0; i < 50; i++) {
            dispatch.caller.script("mine" + i, Results.status(429));
            dispatch.submit(Requests.request("mine" + i, HttpMethod.GET, "mine.example.com", 1, null, null,
                    "victim.example.com"));
        }
        dispatch.time.runUntil(Duration.ofSeconds(5));

        DispatchState state = state(dispatch);
        assertThat(state.host("https://mine.example.com:443").currentRate()).as("slowed").isPositive();
        assertThat(state.host("https://victim.example.com:443")).as("never called, never judged").isNull();
        for (int i = 0; i < 100; i++) {
            dispatch.submit(Requests.get("theirs" + i, "victim.example.com"));
        }
        dispatch.time.runUntil(Duration.ofSeconds(6));
        assertThat(dispatch.caller.calls().stream().filter(call -> call.id().startsWith("theirs")))
                .as("all at once: the victim's host has no rate of its own").hasSize(100)
                .allMatch(call -> call.at().equals(Duration.ofSeconds(5)));
    }

    @Test
    void a429ThatSaysWhenToComeBackPausesItsHostWithoutCuttingItsRate() {
        VirtualDispatch dispatch = new VirtualDispatch();
        dispatch.caller.script("a1", Results.status(429, Map.of("Retry-After", "1")), Results.status(200));
        dispatch.caller.script("a2", Results.status(429), Results.status(200));
        dispatch.submit(Requests.get("a1", "a.example.com"));
        dispatch.time.runUntil(Duration.ofMillis(500));

        assertThat(state(dispatch).host(A).currentRate()).as("paused, not slowed: 0 for no limit").isZero();
        assertThat(state(dispatch).host(A).pausedFor()).isEqualTo(Duration.ofMillis(500));

        dispatch.time.runUntil(Duration.ofSeconds(2));
        dispatch.submit(Requests.get("a2", "a.example.com"));
        dispatch.time.runUntil(Duration.ofMillis(2_500));

        assertThat(state(dispatch).host(A).currentRate()).as("a 429 without a time cuts the rate").isPositive();
    }

    @Test
    void aRateLimitFieldAtZeroRemainingPausesTheHostUntilItsReset() {
        VirtualDispatch dispatch = new VirtualDispatch();
        dispatch.caller.script("a1", Results.status(200, Map.of("RateLimit", "\"default\";r=0;t=2",
                "RateLimit-Policy", "\"default\";q=10;w=60")));
        dispatch.submit(Requests.get("a1", "a.example.com"));
        dispatch.time.runDispatchTasks();
        dispatch.time.runUntil(Duration.ZERO);

        dispatch.submit(Requests.get("a2", "a.example.com"));
        dispatch.submit(Requests.get("b1", "b.example.com"));
        dispatch.time.runUntilIdle();

        assertThat(dispatch.caller.startsOf("a2")).containsExactly(Duration.ofSeconds(2));
        assertThat(dispatch.caller.startsOf("b1")).containsExactly(Duration.ZERO);
    }

    @Test
    void aPauseIsCappedByTheRetryAfterMaximum() {
        VirtualDispatch dispatch = new VirtualDispatch("courier.retry.retry-after-max", "5s");
        dispatch.caller.script("a1", Results.status(200, Map.of("X-RateLimit-Remaining", "0",
                "X-RateLimit-Reset", "3600")));
        dispatch.submit(Requests.get("a1", "a.example.com"));
        dispatch.time.runUntil(Duration.ZERO);

        dispatch.submit(Requests.get("a2", "a.example.com"));
        dispatch.time.runUntilIdle();

        assertThat(dispatch.caller.startsOf("a2")).containsExactly(Duration.ofSeconds(5));
    }

    @Test
    void aPausedHostIsVisibleWithTheTimeItStillLastsAndTheEventsWaitingForIt() {
        VirtualDispatch dispatch = new VirtualDispatch();
        dispatch.caller.script("a1", Results.status(503, Map.of("Retry-After", "4")), Results.status(200));
        dispatch.submit(Requests.get("a1", "a.example.com"));
        dispatch.time.runUntil(Duration.ofMillis(500));
        dispatch.submit(Requests.get("a2", "a.example.com"));
        dispatch.time.runUntil(Duration.ofSeconds(1));

        DispatchState.HostStatus a = state(dispatch).host(A);

        assertThat(a.pausedFor()).isEqualTo(Duration.ofSeconds(3));
        assertThat(a.waiting()).as("a2 waits at the host; a1 waits for its retry").isEqualTo(1);
        assertThat(state(dispatch).key("a.example.com").events()).isEqualTo(2);
    }

    @Test
    void a429StormSlowsThatHostAndLeavesTheOtherHostsThroughputUnchanged() {
        Duration bAlone = lastStartOfB(false);
        VirtualDispatch dispatch = new VirtualDispatch("courier.rate.per-key", "10");
        Duration bBesideAStorm = lastStartOfB(true, dispatch);

        assertThat(bBesideAStorm.toMillis()).isBetween((long) (bAlone.toMillis() * 0.9),
                (long) (bAlone.toMillis() * 1.1));
        DispatchState state = state(dispatch);
        assertThat(state.key("a.example.com").configuredRate()).as("the key's budget is the key's").isEqualTo(10);
        assertThat(state.host(A).currentRate()).as("cut by each second of 429s, down to the floor").isEqualTo(1);
        long callsOfAInTheLastFiveSeconds = dispatch.caller.calls().stream()
                .filter(call -> call.id().startsWith("a") && call.at().compareTo(Duration.ofSeconds(5)) >= 0
                        && call.at().compareTo(Duration.ofSeconds(10)) < 0)
                .count();
        assertThat(callsOfAInTheLastFiveSeconds).as("A at its floor of 1/s").isLessThanOrEqualTo(6);
        assertThat(state.host(B).currentRate()).as("B never pushed back: no limit of its own").isZero();
    }

    @Test
    void successesGiveTheRateBackAStepEachSecond() {
        VirtualDispatch dispatch = new VirtualDispatch("courier.rate.per-key", "10");
        dispatch.caller.script("a0", Results.status(429), Results.status(200));
        for (int i = 0; i < 200; i++) {
            dispatch.submit(Requests.get("a" + i, "a.example.com"));
        }
        dispatch.time.runUntil(Duration.ofMillis(1_500));
        double slowed = state(dispatch).host(A).currentRate();
        assertThat(slowed).as("half the 10 a second it was making").isEqualTo(5);

        dispatch.time.runUntil(Duration.ofMillis(4_500));

        assertThat(state(dispatch).host(A).currentRate()).as("5, then a tenth of 10 back each second")
                .isEqualTo(8);
        dispatch.time.runUntil(Duration.ofSeconds(10));
        assertThat(state(dispatch).host(A).currentRate()).as("back where it was: no limit of its own").isZero();
    }

    private static Duration lastStartOfB(boolean storm) {
        return lastStartOfB(storm, new VirtualDispatch("courier.rate.per-key", "10"));
    }

    /** 100 events for B at 10/s, beside 100 for A that always answers 429 (when {@code storm}). */
    private static Duration lastStartOfB(boolean storm, VirtualDispatch dispatch) {
        for (int i = 0; i < 100; i++) {
            if (storm) {
                dispatch.caller.script("a" + i, Results.status(429));
                dispatch.submit(Requests.get("a" + i, "a.example.com"));
            }
            dispatch.submit(Requests.get("b" + i, "b.example.com"));
        }
        dispatch.time.runUntil(Duration.ofSeconds(10));
        List<Duration> startsOfB = dispatch.caller.calls().stream().filter(call -> call.id().startsWith("b"))
                .map(ScriptedCaller.Call::at).sorted().toList();
        assertThat(startsOfB).hasSize(100);
        return startsOfB.get(99);
    }

    static DispatchState state(VirtualDispatch dispatch) {
        var state = dispatch.dispatcher.state();
        dispatch.time.runDispatchTasks();
        return state.join();
    }
}
