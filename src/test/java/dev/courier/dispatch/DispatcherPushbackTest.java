package dev.courier.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.model.AttemptResult;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Pushback from a target slows or pauses its rate-limit key, and only that key: pauses asked for by response fields,
 * and the adaptive rate after 429s. Virtual time; starts are read at the (scripted) target.
 */
class DispatcherPushbackTest {

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
    void a429ThatSaysWhenToComeBackPausesItsKeyWithoutCuttingItsRate() {
        VirtualDispatch dispatch = new VirtualDispatch("courier.rate.per-key-overrides", "a.example.com=10");
        dispatch.caller.script("a1", Results.status(429, Map.of("Retry-After", "1")), Results.status(200));
        dispatch.caller.script("a2", Results.status(429), Results.status(200));
        dispatch.submit(Requests.get("a1", "a.example.com"));
        dispatch.time.runUntil(Duration.ofMillis(500));

        assertThat(state(dispatch).key("a.example.com").currentRate()).as("paused, not slowed").isEqualTo(10);

        dispatch.time.runUntil(Duration.ofSeconds(2));
        dispatch.submit(Requests.get("a2", "a.example.com"));
        dispatch.time.runUntil(Duration.ofMillis(2_500));

        assertThat(state(dispatch).key("a.example.com").currentRate()).as("a 429 without a time cuts the rate")
                .isEqualTo(5);
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
    void aPausedKeyIsVisibleWithTheTimeItStillLasts() {
        VirtualDispatch dispatch = new VirtualDispatch();
        dispatch.caller.script("a1", Results.status(503, Map.of("Retry-After", "4")), Results.status(200));
        dispatch.submit(Requests.get("a1", "a.example.com"));
        dispatch.time.runUntil(Duration.ofSeconds(1));

        DispatchState.KeyStatus a = state(dispatch).key("a.example.com");

        assertThat(a.pausedFor()).isEqualTo(Duration.ofSeconds(3));
        assertThat(a.events()).isEqualTo(1);
    }

    @Test
    void a429StormCutsThatHostsRateAndLeavesTheOtherHostsThroughputUnchanged() {
        Duration bAlone = lastStartOfB(false);
        VirtualDispatch dispatch = new VirtualDispatch("courier.rate.per-key", "10");
        Duration bBesideAStorm = lastStartOfB(true, dispatch);

        assertThat(bBesideAStorm.toMillis()).isBetween((long) (bAlone.toMillis() * 0.9),
                (long) (bAlone.toMillis() * 1.1));
        DispatchState.KeyStatus a = state(dispatch).key("a.example.com");
        assertThat(a.configuredRate()).isEqualTo(10);
        assertThat(a.currentRate()).as("cut by each second of 429s, down to the floor").isEqualTo(1);
        long callsOfAInTheLastFiveSeconds = dispatch.caller.calls().stream()
                .filter(call -> call.id().startsWith("a") && call.at().compareTo(Duration.ofSeconds(5)) >= 0
                        && call.at().compareTo(Duration.ofSeconds(10)) < 0)
                .count();
        assertThat(callsOfAInTheLastFiveSeconds).as("A at its floor of 1/s").isLessThanOrEqualTo(6);
        assertThat(state(dispatch).key("b.example.com").currentRate()).isEqualTo(10);
    }

    @Test
    void aKeyWithoutARateBecomesLimitedOnlyOnceItPushesBack() {
        VirtualDispatch dispatch = new VirtualDispatch();
        for (int i = 0; i < 3; i++) {
            dispatch.submit(Requests.get("b" + i, "b.example.com"));
        }
        dispatch.time.runUntilIdle();
        assertThat(state(dispatch).key("b.example.com").currentRate()).as("0 for no limit").isZero();

        dispatch.caller.script("b9", Results.status(429));
        dispatch.submit(Requests.request("b9", dev.courier.model.HttpMethod.GET, "b.example.com", 1, null, null,
                "b.example.com"));
        dispatch.time.runUntilIdle();

        assertThat(state(dispatch).key("b.example.com").currentRate()).isPositive();
    }

    @Test
    void successesGiveTheRateBackStepByStep() {
        VirtualDispatch dispatch = new VirtualDispatch("courier.rate.per-key", "10", "courier.rate.increase-after",
                "2");
        dispatch.caller.script("a0", Results.status(429), Results.status(200));
        dispatch.submit(Requests.get("a0", "a.example.com"));
        dispatch.time.runUntilIdle();
        assertThat(state(dispatch).key("a.example.com").currentRate()).as("halved; one success is not yet two")
                .isEqualTo(5);

        for (int i = 1; i <= 4; i++) {
            dispatch.submit(Requests.get("a" + i, "a.example.com"));
        }
        dispatch.time.runUntilIdle();

        assertThat(state(dispatch).key("a.example.com").currentRate()).as("5, then a tenth of 10 per 2 successes")
                .isEqualTo(7);
    }

    private static Duration lastStartOfB(boolean storm) {
        return lastStartOfB(storm, new VirtualDispatch("courier.rate.per-key", "10"));
    }

    /** 100 events for B at 10/s, beside 100 for A that always answers 429 (when {@code storm}). */
    private static Duration lastStartOfB(boolean storm, VirtualDispatch dispatch) {
        for (int i = 0; i < 100; i++) {
            if (storm) {
                dispatch.caller.script("a" + i, tooManyRequests());
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

    private static AttemptResult tooManyRequests() {
        return Results.status(429);
    }

    static DispatchState state(VirtualDispatch dispatch) {
        var state = dispatch.dispatcher.state();
        dispatch.time.runDispatchTasks();
        return state.join();
    }
}
