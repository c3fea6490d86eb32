package dev.courier.dispatch;

import static dev.courier.dispatch.Results.status;
import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.model.FailureCategory;
import dev.courier.model.HttpMethod;
import dev.courier.model.Outcome;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Token buckets on attempts, in virtual time: each call's start is checked against what the rate allows. */
class DispatcherRateLimitTest {

    @Test
    void theGlobalRateLetsTheBurstGoAtOnceAndTheRestAtTheRate() {
        VirtualDispatch dispatch = new VirtualDispatch("courier.rate.global", "2", "courier.rate.global-burst", "3");

        for (int i = 0; i < 10; i++) {
            dispatch.submit(Requests.get("r" + i, "host" + i + ".example.com"));
        }
        dispatch.time.runUntilIdle();

        assertStartsFollowTheRate(starts(dispatch, 10), 3, 2.0);
        assertThat(dispatch.listener.outcomes()).hasSize(10);
    }

    @Test
    void eachKeyDrawsFromItsOwnBucket() {
        VirtualDispatch dispatch = new VirtualDispatch("courier.rate.per-key", "1");

        for (int i = 0; i < 3; i++) {
            dispatch.submit(Requests.get("a" + i, "a.example.com"));
            dispatch.submit(Requests.get("b" + i, "b.example.com"));
        }
        dispatch.time.runUntilIdle();

        List<Duration> everySecond = List.of(Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(2));
        assertThat(List.of(start(dispatch, "a0"), start(dispatch, "a1"), start(dispatch, "a2"))).isEqualTo(everySecond);
        assertThat(List.of(start(dispatch, "b0"), start(dispatch, "b1"), start(dispatch, "b2"))).isEqualTo(everySecond);
    }

    @Test
    void theEventsRateLimitKeyChoosesTheBucketRatherThanItsHost() {
        VirtualDispatch dispatch = new VirtualDispatch("courier.rate.per-key", "1");

        dispatch.submit(Requests.request("r1", HttpMethod.GET, "one.example.com", null, null, null, "tenant-7"));
        dispatch.submit(Requests.request("r2", HttpMethod.GET, "two.example.com", null, null, null, "tenant-7"));
        dispatch.time.runUntilIdle();

        assertThat(start(dispatch, "r2")).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aFractionalRateSpacesTheAttemptsMoreThanASecondApart() {
        VirtualDispatch dispatch = new VirtualDispatch("courier.rate.per-key", "0.5");

        for (int i = 0; i < 4; i++) {
            dispatch.submit(Requests.get("r" + i, "slow.example.com"));
        }
        dispatch.time.runUntilIdle();

        assertStartsFollowTheRate(starts(dispatch, 4), 1, 0.5);
        assertThat(start(dispatch, "r3")).isEqualTo(Duration.ofSeconds(6));
    }

    @Test
    void anOverrideReplacesThePerKeyRateForItsKey() {
        VirtualDispatch dispatch = new VirtualDispatch("courier.rate.per-key", "10",
                "courier.rate.per-key-overrides", "slow.example.com=1");

        for (int i = 0; i < 3; i++) {
            dispatch.submit(Requests.get("slow" + i, "slow.example.com"));
            dispatch.submit(Requests.get("fast" + i, "fast.example.com"));
        }
        dispatch.time.runUntilIdle();

        assertThat(start(dispatch, "slow2")).isEqualTo(Duration.ofSeconds(2));
        assertThat(start(dispatch, "fast2")).isZero();
    }

    @Test
    void everyRetryTakesATokenToo() {
        VirtualDispatch dispatch = new VirtualDispatch("courier.rate.per-key", "1");
        dispatch.caller.script("r1", status(503), status(200));

        dispatch.submit(Requests.get("r1", "api.example.com"));
        dispatch.time.runUntilIdle();

        // the backoff asks for 100ms, the bucket for a second
        assertThat(dispatch.caller.startsOf("r1")).containsExactly(Duration.ZERO, Duration.ofSeconds(1));
    }

    @Test
    void anEventWaitingForATokenHoldsNoWorker() {
        VirtualDispatch dispatch = new VirtualDispatch("courier.workers", "1",
                "courier.rate.per-key-overrides", "limited.example.com=1");

        dispatch.submit(Requests.get("a1", "limited.example.com"));
        dispatch.submit(Requests.get("a2", "limited.example.com"));
        dispatch.submit(Requests.get("b1", "free.example.com"));
        dispatch.submit(Requests.get("b2", "free.example.com"));
        dispatch.time.runUntilIdle();

        assertThat(start(dispatch, "b1")).isZero();
        assertThat(start(dispatch, "b2")).isZero();
        assertThat(start(dispatch, "a2")).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void theKeysWaitingForTheGlobalBucketTakeItsTokensInTurn() {
        VirtualDispatch dispatch = new VirtualDispatch("courier.rate.global", "1", "courier.rate.per-key", "100");

        for (int i = 0; i < 5; i++) {
            dispatch.submit(Requests.get("a" + i, "busy.example.com"));
        }
        dispatch.submit(Requests.get("b0", "quiet.example.com"));
        dispatch.time.runUntilIdle();

        assertThat(start(dispatch, "a1")).isEqualTo(Duration.ofSeconds(1));
        assertThat(start(dispatch, "b0")).isEqualTo(Duration.ofSeconds(2));
        assertThat(start(dispatch, "a4")).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void anEventWhoseKeyBucketIsEmptyTakesNoGlobalToken() {
        VirtualDispatch dispatch = new VirtualDispatch("courier.rate.global", "1", "courier.rate.global-burst", "2",
                "courier.rate.per-key-overrides", "a.example.com=0.5");

        dispatch.submit(Requests.get("a0", "a.example.com"));
        dispatch.submit(Requests.get("a1", "a.example.com"));
        dispatch.submit(Requests.get("b0", "b.example.com"));
        dispatch.time.runUntilIdle();

        // the global bucket's second token went to b0, not to a1 waiting for its key
        assertThat(start(dispatch, "b0")).isZero();
        assertThat(start(dispatch, "a1")).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void anEventThatExpiresWhileWaitingForATokenTakesNone() {
        VirtualDispatch dispatch = new VirtualDispatch("courier.rate.per-key", "1");

        dispatch.submit(Requests.get("r1", "api.example.com"));
        dispatch.submit(Requests.request("r2", HttpMethod.GET, "api.example.com", null,
                VirtualTime.EPOCH.plusMillis(500), null, "api.example.com"));
        dispatch.submit(Requests.get("r3", "api.example.com"));
        dispatch.time.runUntilIdle();

        assertThat(((Outcome.DeadLetter) dispatch.listener.outcomeOf("r2")).category())
                .isEqualTo(FailureCategory.EXPIRED);
        assertThat(start(dispatch, "r3")).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void theLeastRecentlyUsedKeysBucketIsDroppedBeyondMaxKeys() {
        VirtualDispatch dispatch = new VirtualDispatch("courier.rate.per-key", "1", "courier.rate.max-keys", "2");

        dispatch.submit(Requests.get("a1", "a.example.com"));
        dispatch.submit(Requests.get("b1", "b.example.com"));
        dispatch.submit(Requests.get("c1", "c.example.com"));
        dispatch.time.runUntilIdle();
        dispatch.submit(Requests.get("a2", "a.example.com"));
        dispatch.time.runUntilIdle();

        // a's emptied bucket was dropped for c's once a had no event left, so a2 found a new, full one
        assertThat(start(dispatch, "a2")).isZero();
    }

    /** Call {@code i} (in start order) may start no earlier than {@code (i + 1 − burst) / rate} seconds. */
    private static void assertStartsFollowTheRate(List<Duration> starts, int burst, double perSecond) {
        for (int i = 0; i < starts.size(); i++) {
            long earliestNanos = (long) (Math.max(0, i + 1 - burst) / perSecond * 1e9);
            assertThat(starts.get(i)).as("start of call %d", i).isGreaterThanOrEqualTo(Duration.ofNanos(earliestNanos));
        }
        long lastNanos = (long) ((starts.size() - burst) / perSecond * 1e9);
        assertThat(starts.get(starts.size() - 1)).as("the rate is not slower than it needs to be")
                .isLessThanOrEqualTo(Duration.ofNanos(lastNanos).plusMillis(1));
    }

    private static List<Duration> starts(VirtualDispatch dispatch, int expected) {
        List<Duration> starts = dispatch.caller.calls().stream().map(ScriptedCaller.Call::at).sorted().toList();
        assertThat(starts).hasSize(expected);
        return starts;
    }

    private static Duration start(VirtualDispatch dispatch, String id) {
        List<Duration> starts = dispatch.caller.startsOf(id);
        assertThat(starts).as("calls of %s", id).hasSize(1);
        return starts.get(0);
    }
}
