package dev.courier.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.http.HttpCaller;
import dev.courier.model.AttemptResult;
import dev.courier.model.DispatchRequest;
import dev.courier.model.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Goodput under partial failure, in virtual time: a host that fails a little keeps its rate, one that fails a lot
 * is slowed and cut off, and neither touches another host. The patterns are those of the issue that asked for it
 * (10 % of events answered 503 twice before a 200, 5 % a 404).
 */
class DispatcherGoodputTest {

    /**
     * A target whose events answer by a hash of their number: one in ten gets 503 twice then 200 (about 17 % of the
     * answers are 503s), one in twenty gets 404, the others 200. Or, for a host in {@code failing}, 503 to every
     * other call. Records when each call started.
     */
    private static final class FlakyTarget implements HttpCaller {

        final VirtualTime time;
        final String failing;
        final List<Duration> calls = new ArrayList<>();
        final List<Duration> callsOfOthers = new ArrayList<>();
        int callsOfFailing;

        FlakyTarget(VirtualTime time, String failing) {
            this.time = time;
            this.failing = failing;
        }

        @Override
        public AttemptResult call(DispatchRequest request, int attempt) {
            if (request.host().equals(failing)) {
                return Results.status(callsOfFailing++ % 2 == 0 ? 503 : 200);
            }
            if (failing != null) {
                callsOfOthers.add(time.elapsed());
            }
            calls.add(time.elapsed());
            int n = Math.floorMod(Long.hashCode(Long.parseLong(request.id().substring(1)) * 0x9E3779B97F4A7C15L), 20);
            if (n < 2) {
                return Results.status(attempt <= 2 ? 503 : 200);
            }
            return Results.status(n == 2 ? 404 : 200);
        }

        @Override
        public void close() {
        }

        /** Calls started in [from, to). */
        long callsBetween(Duration from, Duration to) {
            return calls.stream().filter(at -> at.compareTo(from) >= 0 && at.compareTo(to) < 0).count();
        }
    }

    private record Run(FlakyTarget target, AtomicInteger outcomes, VirtualTime time) {
    }

    /** {@code events} events of the pattern to one host, 500 ordering keys, on top of {@code settings}. */
    private static Run run(int events, Duration latency, Duration until, String... settings) {
        VirtualTime time = new VirtualTime();
        time.callsTake(latency);
        FlakyTarget target = new FlakyTarget(time, null);
        AtomicInteger outcomes = new AtomicInteger();
        Dispatcher<String> dispatcher = new Dispatcher<>(Requests.settings(settings), target,
                (context, request, outcome) -> outcomes.incrementAndGet(), time.clock(), time, time.workers(),
                () -> 0.5);
        for (int i = 0; i < events; i++) {
            dispatcher.submit(Requests.get("e" + i, "api.example.com"), "customer-" + (i % 500), "e" + i);
        }
        time.runUntil(until);
        return new Run(target, outcomes, time);
    }

    @Test
    void aHostAnswering503ToASixthOfItsCallsGetsItsWholeBudgetForFiveMinutes() {
        Run run = run(60_000, Duration.ofMillis(20), Duration.ofMinutes(5), "courier.rate.global", "200");

        long calls = run.target.callsBetween(Duration.ofSeconds(20), Duration.ofSeconds(300));
        assertThat(calls / 280.0).as("calls a second at the target, from 20 s to 5 min, of a 200/s budget")
                .isGreaterThanOrEqualTo(0.95 * 200);
    }

    @Test
    void withNoRateConfiguredAdaptationKeepsNineTenthsOfTheThroughputWithoutIt() {
        int events = 4_000;
        Run adaptive = run(events, Duration.ofMillis(20), Duration.ofMinutes(10));
        Run fixed = run(events, Duration.ofMillis(20), Duration.ofMinutes(10), "courier.rate.adaptive", "false",
                "courier.circuit.window", "0");

        assertThat(adaptive.outcomes).hasValue(events);
        assertThat(fixed.outcomes).hasValue(events);
        Duration withAdaptation = adaptive.target.calls.get(adaptive.target.calls.size() - 1);
        Duration without = fixed.target.calls.get(fixed.target.calls.size() - 1);
        assertThat((double) without.toNanos() / withAdaptation.toNanos())
                .as("throughput with adaptation over without (last call at %s against %s)", withAdaptation, without)
                .isGreaterThanOrEqualTo(0.9);
    }

    @Test
    void aHostFailingHalfItsCallsIsCutOffWithinSecondsWhileAnotherHostKeepsItsRate() {
        VirtualTime time = new VirtualTime();
        time.callsTake(Duration.ofMillis(20));
        FlakyTarget target = new FlakyTarget(time, "down.example.com");
        List<Outcome> outcomes = new ArrayList<>();
        Dispatcher<String> dispatcher = new Dispatcher<>(Requests.settings("courier.rate.per-key", "100"), target,
                (context, request, outcome) -> outcomes.add(outcome), time.clock(), time, time.workers(), () -> 0.5);
        for (int i = 0; i < 3_000; i++) {
            dispatcher.submit(Requests.get("e" + i, "api.example.com"), null, "e" + i);
            dispatcher.submit(Requests.get("d" + i, "down.example.com"), null, "d" + i);
        }
        time.runUntil(Duration.ofSeconds(3));
        int callsOfFailingInTheFirstThreeSeconds = target.callsOfFailing;
        CompletableState state = new CompletableState(dispatcher, time);
        assertThat(state.circuitOf("https://down.example.com:443")).as("open within seconds").isEqualTo("OPEN");

        time.runUntil(Duration.ofSeconds(30));

        assertThat(callsOfFailingInTheFirstThreeSeconds).as("cut off: far below its 300 in 3 s").isLessThan(120);
        long othersFrom5To30 = target.callsOfOthers.stream()
                .filter(at -> at.compareTo(Duration.ofSeconds(5)) >= 0 && at.compareTo(Duration.ofSeconds(30)) < 0)
                .count();
        assertThat(othersFrom5To30 / 25.0).as("the other host's calls a second").isGreaterThanOrEqualTo(0.95 * 100);
        assertThat(target.callsOfFailing).as("the failing host, probed every 10 s, not called at its rate")
                .isLessThan(300);
    }

    /** The dispatcher's state, read on its (virtual) dispatch thread. */
    private record CompletableState(Dispatcher<String> dispatcher, VirtualTime time) {

        String circuitOf(String host) {
            var state = dispatcher.state();
            time.runDispatchTasks();
            return state.join().circuits().get(host);
        }
    }
}
