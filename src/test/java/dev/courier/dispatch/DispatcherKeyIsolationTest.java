package dev.courier.dispatch;

import static dev.courier.dispatch.DispatcherPushbackTest.state;
import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.http.HttpCaller;
import dev.courier.model.AttemptResult;
import dev.courier.model.DispatchRequest;
import dev.courier.model.HttpMethod;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * One key cannot hold back the others: its events beyond courier.max-in-flight-per-key are parked, every per-key table
 * stays bounded, and in group scope each instance applies its share of the budgets. Virtual time.
 */
class DispatcherKeyIsolationTest {

    @Test
    void aSlowKeysEventsBeyondItsShareAreParkedAndTheOtherKeysGoAtOnce() {
        VirtualDispatch dispatch = new VirtualDispatch("courier.max-in-flight-per-key", "2",
                "courier.rate.per-key-overrides", "slow.example.com=0.1");
        for (int i = 0; i < 4; i++) {
            dispatch.submit(Requests.get("s" + i, "slow.example.com"));
        }
        assertThat(dispatch.dispatcher.parked()).isEqualTo(2);
        assertThat(dispatch.dispatcher.hasRoomFor("slow.example.com")).as("2 counted and 2 parked").isFalse();
        assertThat(dispatch.dispatcher.hasRoomFor("other-0.example.com")).isTrue();

        for (int i = 0; i < 100; i++) {
            dispatch.submit(Requests.get("o" + i, "other-" + i + ".example.com"));
        }
        dispatch.time.runUntil(Duration.ofSeconds(1));

        assertThat(dispatch.caller.calls().stream().filter(call -> call.id().startsWith("o")))
                .hasSize(100).allSatisfy(call -> assertThat(call.at()).isZero());
        DispatchState.KeyStatus slow = state(dispatch).key("slow.example.com");
        assertThat(slow.events()).isEqualTo(3);
        assertThat(slow.parked()).isEqualTo(1);

        dispatch.time.runUntilIdle();
        assertThat(List.of(start(dispatch, "s0"), start(dispatch, "s1"), start(dispatch, "s2"), start(dispatch, "s3")))
                .as("in order, at the key's own rate").containsExactly(Duration.ZERO, Duration.ofSeconds(10),
                        Duration.ofSeconds(20), Duration.ofSeconds(30));
        assertThat(dispatch.dispatcher.parked()).isZero();
    }

    @Test
    void aHostWhoseCallsAreSlowLeavesAQuarterOfTheWorkersToTheOtherHosts() {
        VirtualDispatch dispatch = new VirtualDispatch("courier.workers", "8");
        knowAnotherHost(dispatch);
        for (int i = 0; i < 20; i++) {
            dispatch.submit(Requests.get("s" + i, "slow.example.com"));
        }
        dispatch.time.runDispatchTasks();
        assertThat(dispatch.time.workerTasksWaiting()).as("calls of the slow host in progress: 8 less 2").isEqualTo(6);

        for (int i = 0; i < 6; i++) {
            dispatch.submit(Requests.get("o" + i, "other-" + i + ".example.com"));
        }
        dispatch.time.runDispatchTasks();
        assertThat(dispatch.time.workerTasksWaiting()).as("the other hosts' calls start beside them").isEqualTo(8);

        dispatch.time.runUntilIdle();
        assertThat(dispatch.caller.calls()).hasSize(27);
        assertThat(dispatch.caller.calls().stream().filter(call -> call.id().startsWith("s")).map(ScriptedCaller.Call::id))
                .as("the slow host's calls in order").containsExactlyElementsOf(
                        java.util.stream.IntStream.range(0, 20).mapToObj(i -> "s" + i).toList());
        assertThat(state(dispatch).key("slow.example.com").events()).isZero();
    }

    @Test
    void anAbandonedEventWaitingForItsHostsShareOfTheWorkersTakesNoCall() {
        VirtualDispatch dispatch = new VirtualDispatch("courier.workers", "4");
        knowAnotherHost(dispatch);
        for (int i = 0; i < 5; i++) {
            dispatch.submit(Requests.get("s" + i, "slow.example.com"));
        }
        dispatch.time.runDispatchTasks();
        assertThat(dispatch.time.workerTasksWaiting()).as("4 workers less 1").isEqualTo(3);

        var abandoned = dispatch.dispatcher.abandon("s3"::equals);
        dispatch.time.runUntilIdle();

        assertThat(abandoned.join()).isEqualTo(1);
        assertThat(dispatch.caller.calls()).extracting(ScriptedCaller.Call::id)
                .containsExactly("known", "s0", "s1", "s2", "s4");
        assertThat(state(dispatch).key("slow.example.com").events()).isZero();
    }

    @Test
    void aSingleHostUsesEveryWorkerUntilASecondHostComesThenLeavesItAQuarter() {
        VirtualDispatch dispatch = new VirtualDispatch("courier.workers", "8");
        for (int i = 0; i < 20; i++) {
            dispatch.submit(Requests.get("s" + i, "only.example.com"));
        }
        dispatch.time.runDispatchTasks();
        assertThat(dispatch.time.workerTasksWaiting()).as("one target: all 8 workers").isEqualTo(8);

        dispatch.submit(Requests.get("o0", "other.example.com"));
        dispatch.time.runDispatchTasks();
        assertThat(dispatch.time.workerTasksWaiting()).as("the newcomer waits for a worker to free").isEqualTo(8);
        dispatch.time.runOneWorkerTask();
        assertThat(dispatch.time.workerTasksWaiting()).as("the first worker freed goes to the newcomer").isEqualTo(8);
        assertThat(dispatch.caller.calls()).extracting(ScriptedCaller.Call::id).contains("s0").doesNotContain("s8");

        dispatch.time.runUntilIdle();
        assertThat(dispatch.caller.calls()).hasSize(21);
    }

    /** A call to another host first, so that the dispatcher knows more than one host. */
    private static void knowAnotherHost(VirtualDispatch dispatch) {
        dispatch.submit(Requests.get("known", "known.example.com"));
        dispatch.time.runUntilIdle();
    }

    @Test
    void anAbandonedParkedEventLeavesNoPlaceTaken() {
        VirtualDispatch dispatch = new VirtualDispatch("courier.max-in-flight-per-key", "1",
                "courier.rate.per-key-overrides", "slow.example.com=1");
        dispatch.submit(Requests.get("s0", "slow.example.com"));
        dispatch.submit(Requests.get("s1", "slow.example.com"));
        dispatch.submit(Requests.get("s2", "slow.example.com"));
        dispatch.time.runDispatchTasks();

        var abandoned = dispatch.dispatcher.abandon("s1"::equals);
        dispatch.time.runUntilIdle();

        assertThat(abandoned.join()).isEqualTo(1);
        assertThat(dispatch.caller.startsOf("s2")).containsExactly(Duration.ofSeconds(1));
        assertThat(state(dispatch).key("slow.example.com").events()).isZero();
        assertThat(dispatch.dispatcher.hasRoomFor("slow.example.com")).isTrue();
    }

    @Test
    void aMillionDistinctKeysKeepEveryPerKeyTableAtItsBound() {
        assertTablesStayBounded(1_000_000, 500);
    }

    @Test
    void thousandsOfHostsKeepTheCircuitTableAtItsBound() {
        assertTablesStayBounded(20_000, 5_000);
    }

    /** {@code events} events, each with its own rate-limit key, spread over {@code hosts} hosts; max-keys 1000. */
    private static void assertTablesStayBounded(int events, int hosts) {
        VirtualTime time = new VirtualTime();
        AtomicLong outcomes = new AtomicLong();
        HttpCaller caller = new HttpCaller() {
            @Override
            public AttemptResult call(DispatchRequest request, int attempt) {
                return Results.status(200);
            }

            @Override
            public void close() {
            }
        };
        Dispatcher<String> dispatcher = new Dispatcher<>(Requests.settings("courier.rate.per-key", "5",
                "courier.rate.max-keys", "1000"), caller, (context, request, outcome) -> outcomes.incrementAndGet(),
                time.clock(), time, time.workers(), () -> 0.5);

        int batch = 10_000;
        for (int first = 0; first < events; first += batch) {
            for (int i = first; i < first + batch; i++) {
                String key = "k" + i;
                dispatcher.submit(new DispatchRequest(key, HttpMethod.GET,
                        URI.create("https://h" + (i % hosts) + ".example.com/"), null, Map.of(), null, null, null,
                        null, null, null, null, key, Map.of()), null, key);
            }
            time.runUntilIdle();
            CompletableFuture<DispatchState> state = dispatcher.state();
            time.runDispatchTasks();
            assertThat(state.join().keys()).hasSizeLessThanOrEqualTo(1000);
            assertThat(state.join().circuits()).hasSizeLessThanOrEqualTo(1000);
        }

        assertThat(outcomes).hasValue(events);
        assertThat(dispatcher.parked()).isZero();
    }

    @Test
    void inGroupScopeAKeysRateAndBurstAreThisInstancesShareOfTheBudget() {
        VirtualDispatch dispatch = new VirtualDispatch("courier.rate.per-key", "10");
        dispatch.dispatcher.setShare(new RateShare(3, 6));
        dispatch.time.runDispatchTasks();

        for (int i = 0; i < 15; i++) {
            dispatch.submit(Requests.get("a" + i, "a.example.com"));
        }
        dispatch.time.runUntilIdle();

        List<Duration> starts = dispatch.caller.calls().stream().map(ScriptedCaller.Call::at).sorted().toList();
        assertThat(starts.subList(0, 5)).as("a burst of half of 10").allSatisfy(start -> assertThat(start).isZero());
        assertThat(starts.get(5)).isEqualTo(Duration.ofMillis(200));
        assertThat(starts.get(14)).as("then 5 a second").isEqualTo(Duration.ofMillis(2000));
        assertThat(state(dispatch).key("a.example.com").configuredRate()).isEqualTo(5);
    }

    @Test
    void whenTheOtherInstanceLeavesThisOneTakesTheWholeBudget() {
        VirtualDispatch dispatch = new VirtualDispatch("courier.rate.per-key", "10");
        dispatch.dispatcher.setShare(new RateShare(3, 6));
        dispatch.submit(Requests.get("a0", "a.example.com"));
        dispatch.time.runUntilIdle();
        assertThat(state(dispatch).key("a.example.com").configuredRate()).isEqualTo(5);

        dispatch.dispatcher.setShare(new RateShare(6, 6));
        dispatch.time.runDispatchTasks();

        assertThat(state(dispatch).key("a.example.com").configuredRate()).isEqualTo(10);
    }

    @Test
    void inInstanceScopeTheShareIsIgnored() {
        VirtualDispatch dispatch = new VirtualDispatch("courier.rate.per-key", "10", "courier.rate.scope", "instance");
        dispatch.dispatcher.setShare(new RateShare(1, 6));
        dispatch.submit(Requests.get("a0", "a.example.com"));
        dispatch.time.runUntilIdle();

        assertThat(state(dispatch).key("a.example.com").configuredRate()).isEqualTo(10);
    }

    private static Duration start(VirtualDispatch dispatch, String id) {
        List<Duration> starts = dispatch.caller.startsOf(id);
        assertThat(starts).as("calls of %s", id).hasSize(1);
        return starts.get(0);
    }
}
