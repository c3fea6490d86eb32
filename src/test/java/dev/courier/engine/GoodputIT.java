package dev.courier.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.courier.dispatch.DispatchState;
import dev.courier.http.HostResolver;
import dev.courier.http.HttpCaller;
import dev.courier.http.OkHttpCaller;
import dev.courier.intake.EngineListener;
import dev.courier.model.AttemptResult;
import dev.courier.model.DispatchRequest;
import dev.courier.model.RequestSpec;
import dev.courier.ops.Health;
import dev.courier.testkit.Closing;
import dev.courier.testkit.EventTarget;
import dev.courier.testkit.ExpectedLogs;
import dev.courier.testkit.RecordingTarget;
import dev.courier.testkit.TestSandbox;
import dev.courier.testkit.WithSandbox;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Goodput under partial failure, measured at loopback targets with a real engine on the in-JVM broker: a host that
 * fails a little keeps its budget, one that fails a lot is cut off within seconds while another keeps its rate, a
 * 429 without a time slows a host only until it stops, a pause holds every call not yet sent, and no event can steer
 * another host's pause by naming its rate-limit key. The five-minute run of the first is behind
 * {@code -Dcourier.soak=true}.
 */
@WithSandbox
@Timeout(180)
class GoodputIT {

    private static final long SECOND = 1_000_000_000L;

    private final TestSandbox sandbox;
    @AutoClose
    private final Closing closing = new Closing();

    GoodputIT(TestSandbox sandbox) {
        this.sandbox = sandbox;
    }

    /** One in ten events gets 503 twice before a 200 (about 17 % of the answers are 503s), one in twenty a 404. */
    private static MockResponse flaky(String id, int call) {
        int n = Math.floorMod(id.hashCode() * 31 + 7, 20);
        if (n < 2) {
            return EventTarget.status(call <= 2 ? 503 : 200);
        }
        return EventTarget.status(n == 2 ? 404 : 200);
    }

    @Test
    void aHostAnswering503ToASixthOfItsCallsGetsNineteenTwentiethsOfItsBudget() throws Exception {
        goodput(Duration.ofSeconds(20), 9_000);
    }

    @Test
    @EnabledIfSystemProperty(named = "courier.soak", matches = "true")
    void aHostAnswering503ToASixthOfItsCallsGetsNineteenTwentiethsOfItsBudgetForFiveMinutes() throws Exception {
        goodput(Duration.ofMinutes(5), 66_000);
    }

    /** The flaky pattern at a 200/s budget, 500 ordering keys, measured at the target after 5 s. */
    private void goodput(Duration measured, int events) throws Exception {
        EventTarget target = closing.add(new EventTarget(GoodputIT::flaky));
        EngineHarness harness = closing.add(new EngineHarness(sandbox, 6, Map.of("courier.rate.global", "200")));
        Engine engine = harness.start();
        for (int i = 0; i < events; i++) {
            String id = "g" + i;
            harness.sendAsync("customer-" + (i % 500), EngineHarness.get(id, target.url(id)));
        }
        harness.flush();
        await("the first call").atMost(Duration.ofSeconds(30)).until(() -> target.totalCalls() > 0);
        long first = target.arrivals().get(0).nanos();
        long from = first + 5 * SECOND;
        long to = from + measured.toNanos();
        Threads threads = closing.add(new Threads());
        await("the measured window").atMost(measured.plusSeconds(60))
                .until(() -> System.nanoTime() - to > 0 || target.totalCalls() >= events * 12 / 10);

        List<RecordingTarget.Arrival> arrivals = target.arrivals();
        long calls = arrivals.stream().filter(a -> a.nanos() - from >= 0 && a.nanos() - to < 0).count();
        double perSecond = calls * (double) SECOND / (to - from);
        DispatchState.HostStatus host = state(engine).hosts().get(0);
        System.out.printf("GoodputIT: %.1f calls/s at the target over %d s of a 200/s budget (%d calls); the host"
                + " now: rate %s, circuit %s; events %s; threads %d to %d%n", perSecond, measured.toSeconds(), calls,
                host.currentRate() == 0 ? "unlimited" : host.currentRate(), host.circuit(),
                engine.dispatcher().waiting(), threads.first, threads.most.get());
        assertThat(perSecond).as("calls a second at the target, of a 200/s budget").isGreaterThanOrEqualTo(190);
    }

    @Test
    void withNoRateConfiguredAHostFailingAFifthOfItsEventsKeepsItsThroughputInExactlyOnceMode() throws Exception {
        EventTarget target = closing.add(new EventTarget((id, call) -> {
            int n = Math.floorMod(id.hashCode() * 31 + 7, 25);
            if (n < 3) {
                return EventTarget.status(call <= 2 ? 503 : 200); // 12 % of events
            }
            return EventTarget.status(n < 5 ? 404 : 200); // 8 %
        }));
        EngineHarness harness = closing.add(new EngineHarness(sandbox, 6, Map.of("courier.delivery.guarantee",
                "exactly-once", "courier.transactional-id", "goodput-" + System.nanoTime())));
        Engine engine = harness.start();
        AtomicBoolean slowed = new AtomicBoolean();
        Sampler sampler = closing.add(new Sampler(() -> state(engine).hosts().forEach(host -> {
            if (host.currentRate() > 0) {
                slowed.set(true);
            }
        })));
        int events = 4_000;
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            String id = "n" + i;
            ids.add(id);
            harness.sendAsync("customer-" + (i % 500), EngineHarness.get(id, target.url(id)));
        }
        harness.flush();
        long started = System.nanoTime();

        OutcomeAudit.Outcomes outcomes = harness.awaitEvery(ids, Duration.ofSeconds(90));
        sampler.close();

        System.out.printf("GoodputIT: %d events (12 %% answered 503 twice, 8 %% 404) with no rate configured, every"
                + " outcome in %.1f s; %d calls; the host's rate was %s%n", events,
                (System.nanoTime() - started) / 1e9, target.totalCalls(), slowed.get() ? "cut" : "never cut");
        assertThat(outcomes.results().size() + outcomes.deadLetters().size()).isEqualTo(events);
        assertThat(slowed).as("the host's adaptive rate was cut").isFalse();
    }

    @Test
    void aHostFailingHalfItsCallsHasItsCircuitOpenedWithinSecondsAndAnotherHostKeepsItsRate() throws Exception {
        AtomicLong aCalls = new AtomicLong();
        EventTarget a = closing.add(new EventTarget((id, call) -> EventTarget.status(
                aCalls.incrementAndGet() % 2 == 0 ? 503 : 200)));
        EventTarget b = closing.add(new EventTarget((id, call) -> EventTarget.status(200)));
        HostResolver resolver = host -> switch (host) {
            case "a.test", "b.test" -> List.of(InetAddress.getByName("127.0.0.1"));
            default -> throw new UnknownHostException(host);
        };
        EngineHarness harness = closing.add(new EngineHarness(sandbox, 4, Map.of("courier.rate.per-key", "100",
                "courier.ordering", "unordered", "courier.retry.max-attempts", "2")));
        Engine engine = harness.start(resolver);
        String aHost = "http://a.test:" + URI.create(a.url("x")).getPort();
        try (ExpectedLogs circuitLog = ExpectedLogs.capture("dev.courier.dispatch.CircuitLog")) {
            // A's events on a partition of their own: a partition whose next event is for a key with no room in the
            // dispatcher waits for it (docs/processing.md, "pausing partitions"), and A's events wait at its circuit
            for (int i = 0; i < 1_500; i++) {
                harness.sendAsync(0, "a" + i, EngineHarness.get("a" + i, named(a.url("a" + i), "a.test")));
                harness.sendAsync(1 + i % 3, "b" + i, EngineHarness.get("b" + i, named(b.url("b" + i), "b.test")));
            }
            harness.flush();
            await("B's first call").atMost(Duration.ofSeconds(30)).until(() -> b.totalCalls() > 0);
            long first = b.arrivals().get(0).nanos();

            await("A's circuit opens").atMost(Duration.ofSeconds(10))
                    .until(() -> "OPEN".equals(state(engine).circuits().get(aHost)));
            double openedAfter = (System.nanoTime() - first) / 1e9;
            Health health = new Health();
            health.ready("circuits", EngineHealth.circuits(() -> state(engine)));
            health.started();
            String ready = new String(health.readiness().body(), java.nio.charset.StandardCharsets.UTF_8);
            long aCallsWhenOpen = aCalls.get();
            await("B's events").atMost(Duration.ofSeconds(40)).until(() -> b.totalCalls() >= 1_500);

            double bRate = rate(b.arrivals(), first + 2 * SECOND, b.arrivals().get(1_499).nanos());
            System.out.printf("GoodputIT: A (503 to every other call) open %.1f s after the first call, after %d"
                    + " calls; %d calls to A in all; B at %.1f/s of its 100/s%n", openedAfter, aCallsWhenOpen,
                    aCalls.get(), bRate);
            assertThat(openedAfter).as("seconds until A's circuit opened").isLessThan(5);
            assertThat(bRate).as("B's calls a second beside A").isGreaterThanOrEqualTo(95);
            assertThat(aCalls.get()).as("calls to A: its 1,500 events were held at its open circuit").isLessThan(750);
            assertThat(circuitLog.lines()).anyMatch(line -> line.startsWith("WARN The circuit of " + aHost
                    + " opened:"));
            assertThat(ready).as("/health/ready").contains("\"circuits\":{\"status\":\"UP\"")
                    .contains("open circuits: " + aHost + " open for ");
        }
    }

    @Test
    void a429WithoutATimeSlowsTheHostUntilTheyStopThenItClimbsBackToItsRateWithinTenSeconds() throws Exception {
        AtomicLong limitedUntil = new AtomicLong(Long.MAX_VALUE);
        EventTarget target = closing.add(new EventTarget((id, call) -> {
            long now = System.nanoTime();
            limitedUntil.compareAndSet(Long.MAX_VALUE, now + 2 * SECOND);
            return EventTarget.status(now - limitedUntil.get() < 0 ? 429 : 200);
        }));
        EngineHarness harness = closing.add(new EngineHarness(sandbox, 4, Map.of("courier.rate.per-key", "100",
                "courier.ordering", "unordered")));
        Engine engine = harness.start();
        int events = 3_000;
        for (int i = 0; i < events; i++) {
            harness.sendAsync("s" + i, EngineHarness.get("s" + i, target.url("s" + i)));
        }
        harness.flush();
        await("the first call").atMost(Duration.ofSeconds(30)).until(() -> target.totalCalls() > 0);
        await("a second after the 429s stopped").atMost(Duration.ofSeconds(30))
                .until(() -> System.nanoTime() - limitedUntil.get() > SECOND);
        double slowedTo = state(engine).hosts().get(0).currentRate();
        long stopped = limitedUntil.get();
        await("12 s after the 429s stopped").atMost(Duration.ofSeconds(30))
                .until(() -> System.nanoTime() - stopped > 12 * SECOND);

        List<RecordingTarget.Arrival> arrivals = target.arrivals();
        double during = rate(arrivals, stopped - SECOND, stopped);
        double after = rate(arrivals, stopped + 10 * SECOND, stopped + 12 * SECOND);
        System.out.printf("GoodputIT: 2 s of 429s without a time: the host's rate cut to %.1f/s, %.1f calls/s in"
                + " their last second, %.1f/s 10-12 s after they stopped (its budget: 100/s)%n", slowedTo, during,
                after);
        assertThat(slowedTo).as("the host's rate a second after the 429s stopped (0: no limit)").isBetween(1.0, 60.0);
        assertThat(during).as("calls a second in the last second of 429s").isLessThan(60);
        assertThat(after).as("calls a second 10-12 s after the 429s stopped").isGreaterThanOrEqualTo(90);
    }

    @Test
    void aPauseHoldsEveryCallNotYetSentToTheHost() throws Exception {
        AtomicBoolean first = new AtomicBoolean(true);
        EventTarget target = closing.add(new EventTarget((id, call) -> {
            TimeUnit.MILLISECONDS.sleep(100);
            if (first.getAndSet(false)) {
                return new MockResponse.Builder().code(429).addHeader("Retry-After", "3").build();
            }
            return EventTarget.status(200);
        }));
        EngineHarness harness = closing.add(new EngineHarness(sandbox, 4, Map.of("courier.workers", "4",
                "courier.ordering", "unordered")));
        TimedCaller caller = new TimedCaller(OkHttpCaller.builder(harness.settings().http())
                .egress(harness.settings().egress()).clock(Clock.systemUTC()).concurrency(4).build());
        closing.add(Engine.start(harness.settings(), EngineListener.NONE, caller));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ids.add("p" + i);
            harness.sendAsync("p" + i, EngineHarness.get("p" + i, target.url("p" + i)));
        }
        harness.flush();

        harness.awaitEvery(ids, Duration.ofSeconds(30));
        long answered = caller.tooManyAt.get();
        List<Long> leaked = caller.starts.stream()
                // started once Courier had read the 429 (50 ms for the worker to act on it), before the pause ended
                .filter(start -> start - answered > 50_000_000L && start - answered < 3 * SECOND - 50_000_000L)
                .toList();
        long inFlight = caller.starts.stream().filter(start -> start - answered <= 0).count();
        System.out.printf("GoodputIT: 429 Retry-After: 3 with 4 workers: %d calls on their way when it came, %d"
                + " started during the pause, %d calls in all%n", inFlight, leaked.size(), caller.starts.size());
        assertThat(leaked).as("calls started during the pause, in ms after the 429 was read")
                .extracting(start -> (start - answered) / 1_000_000).isEmpty();
        assertThat(caller.starts).as("every event called; the paused ones after the pause").hasSizeGreaterThan(40);
    }

    @Test
    void anEventNamingAnotherHostsRateLimitKeyCannotPauseIt() throws Exception {
        EventTarget mine = closing.add(new EventTarget((id, call) -> call == 1
                ? new MockResponse.Builder().code(429).addHeader("Retry-After", "10").build()
                : EventTarget.status(200)));
        EventTarget theirs = closing.add(new EventTarget((id, call) -> EventTarget.status(200)));
        EngineHarness harness = closing.add(new EngineHarness(sandbox, 1, Map.of("courier.ordering", "unordered")));
        harness.start();
        String victimKey = "127.0.0.1";
        harness.send("mine", new RequestSpec("mine", "GET", mine.url("mine"), null, null, Map.of(), null, null, null,
                null, null, null, null, victimKey, Map.of()));
        await("the 429").atMost(Duration.ofSeconds(30)).until(() -> mine.totalCalls() > 0);
        long answered = System.nanoTime();

        harness.send("theirs", EngineHarness.get("theirs", theirs.url("theirs")));
        await("their call").atMost(Duration.ofSeconds(30)).until(() -> theirs.totalCalls() > 0);

        double waited = (theirs.arrivals().get(0).nanos() - answered) / 1e9;
        System.out.printf("GoodputIT: an event of another host, with its rate-limit key, answered 429 Retry-After:"
                + " 10; the host's own event was called %.2f s later%n", waited);
        assertThat(waited).as("seconds until the other host's event was called").isLessThan(5);
        assertThat(mine.totalCalls()).as("the publisher's own host stays paused").isEqualTo(1);
    }

    /** {@code url} with its host written as {@code name}, which the test's resolver maps to 127.0.0.1. */
    private static String named(String url, String name) {
        URI uri = URI.create(url);
        return "http://" + name + ":" + uri.getPort() + uri.getPath();
    }

    /** Calls a second among {@code arrivals} between {@code from} and {@code to} (nano times). */
    private static double rate(List<RecordingTarget.Arrival> arrivals, long from, long to) {
        long calls = arrivals.stream().filter(a -> a.nanos() - from >= 0 && a.nanos() - to < 0).count();
        return calls * (double) SECOND / (to - from);
    }

    private static DispatchState state(Engine engine) {
        try {
            return engine.dispatcher().state().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("the dispatcher's state", e);
        }
    }

    /** An HTTP caller that records when each call started and when the first 429 was read. */
    private static final class TimedCaller implements HttpCaller {

        final List<Long> starts = new CopyOnWriteArrayList<>();
        final AtomicLong tooManyAt = new AtomicLong();
        private final HttpCaller delegate;

        TimedCaller(HttpCaller delegate) {
            this.delegate = delegate;
        }

        @Override
        public AttemptResult call(DispatchRequest request, int attempt) {
            starts.add(System.nanoTime());
            AttemptResult result = delegate.call(request, attempt);
            if (result instanceof AttemptResult.Response response && response.status() == 429) {
                tooManyAt.compareAndSet(0, System.nanoTime());
            }
            return result;
        }

        @Override
        public void close() {
        }
    }

    /** Runs {@code sample} every 100 ms until closed. */
    private static final class Sampler implements AutoCloseable {

        private final Thread thread;
        private volatile boolean stopped;

        Sampler(Runnable sample) {
            thread = new Thread(() -> {
                while (!stopped) {
                    sample.run();
                    try {
                        TimeUnit.MILLISECONDS.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "goodput-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            stopped = true;
            thread.join(5_000);
        }
    }

    /** The process's threads: at the start, and the most seen while it runs (sampled every 100 ms). */
    private static final class Threads implements AutoCloseable {

        final int first = Thread.activeCount();
        final AtomicLong most = new AtomicLong(first);
        private final Sampler sampler = new Sampler(() -> most.accumulateAndGet(Thread.activeCount(), Math::max));

        @Override
        public void close() throws InterruptedException {
            sampler.close();
        }
    }
}
