package dev.courier.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.courier.dispatch.DispatchState;
import dev.courier.http.HostResolver;
import dev.courier.model.RequestSpec;
import dev.courier.testkit.Closing;
import dev.courier.testkit.EventTarget;
import dev.courier.testkit.RecordingTarget;
import dev.courier.testkit.TestSandbox;
import dev.courier.testkit.WithSandbox;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Rate limits and isolation seen from the targets, with a real engine on the in-JVM broker: a key's rate is held to
 * the second and in every window; a host that never answers, and a key with a deep backlog behind a slow target, leave
 * the other hosts and keys going at their own pace, while the dispatcher's parked and counted events stay within
 * their bounds.
 */
@WithSandbox
@Timeout(90)
class RateIsolationIT {

    private static final long SECOND = 1_000_000_000L;
    private static final int WARM_UP = 50;

    private final TestSandbox sandbox;
    @AutoClose
    private final Closing closing = new Closing();

    RateIsolationIT(TestSandbox sandbox) {
        this.sandbox = sandbox;
    }

    @Test
    void aKeyLimitedTo200ASecondGets200ASecondOver10SecondsAndNeverMoreThanBurstPlusRateTimesT() throws Exception {
        double rate = 200;
        int burst = 20;
        int skipped = 200;
        int measured = 2_000;
        RecordingTarget target = closing.add(quietTarget());
        EngineHarness harness = closing.add(new EngineHarness(sandbox, 4, Map.of("courier.rate.per-key", "200",
                "courier.rate.per-key-burst", Integer.toString(burst), "courier.ordering", "unordered")));
        harness.start();
        warmUp(harness, target, target.url("/w/"));
        int events = skipped + measured + 50;
        for (int i = 0; i < events; i++) {
            harness.sendAsync("k" + i, EngineHarness.get("r" + i, target.url("/r/" + i)));
        }
        harness.flush();
        await("the calls").atMost(Duration.ofSeconds(40)).until(() -> target.arrivals("/r/").size() >= events);

        List<RecordingTarget.Arrival> arrivals = target.arrivals("/r/");
        // the first second (the initial burst, catching up) is left out of the average
        double average = rate(arrivals, skipped, skipped + measured);
        double excess = worstExcess(arrivals, rate);
        System.out.printf("RateIsolationIT at %.0f/s (burst %d): %.2f/s over %.1f s; in the busiest window %.1f calls"
                + " above rate x t%n", rate, burst, average,
                (arrivals.get(skipped + measured - 1).nanos() - arrivals.get(skipped).nanos()) / 1e9, excess);
        assertThat(average).as("calls a second, on average over 10 s").isBetween(rate * 0.98, rate * 1.02);
        // A token is taken before the call is made: a call that took longer to reach the target than the one after
        // it (a thread scheduled late on a busy machine) shifts its arrival; 25 ms of such jitter is 5 calls here.
        assertThat(excess).as("calls in any window between two arrivals, beyond rate x its length")
                .isLessThanOrEqualTo(burst + rate * 0.025);
    }

    @Test
    void aHostThatNeverAnswersLeavesAnotherHostsThroughputAsItWasAndItsCircuitIsProbedUntilItRecovers()
            throws Exception {
        CountDownLatch answering = new CountDownLatch(1);
        // A accepts each call and answers only once it has recovered (at most 10 s later, long after the timeout)
        RecordingTarget a = closing.add(new RecordingTarget(request -> {
            try {
                answering.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return EventTarget.status(200);
        }));
        RecordingTarget b = closing.add(quietTarget());
        // two names for 127.0.0.1: two rate-limit keys (the URL's host) and two hosts (origins) with a circuit each
        HostResolver resolver = host -> switch (host) {
            case "a.test", "b.test" -> List.of(InetAddress.getByName("127.0.0.1"));
            default -> throw new UnknownHostException(host);
        };
        EngineHarness harness = closing.add(new EngineHarness(sandbox, 4, Map.of("courier.rate.per-key", "100",
                "courier.rate.per-key-burst", "10", "courier.ordering", "unordered", "courier.http.call-timeout",
                "500ms", "courier.retry.max-attempts", "3", "courier.circuit.open-wait", "1s")));
        closing.add(answering::countDown);
        Engine engine = harness.start(resolver);
        warmUp(harness, b, url(b, "b.test", "/w/"));

        int bEvents = 450;
        for (int i = 0; i < bEvents; i++) {
            harness.sendAsync("b1-" + i, EngineHarness.get("b1-" + i, url(b, "b.test", "/b1/" + i)));
        }
        harness.flush();
        await("B alone").atMost(Duration.ofSeconds(30)).until(() -> b.arrivals("/b1/").size() >= bEvents);
        double alone = rate(b.arrivals("/b1/"), 10, bEvents);

        int aEvents = 150;
        List<String> aIds = new ArrayList<>();
        for (int i = 0; i < bEvents; i++) {
            if (i % 3 == 0) {
                String id = "a-" + aIds.size();
                aIds.add(id);
                harness.sendAsync(id, EngineHarness.get(id, url(a, "a.test", "/a/" + id)));
            }
            harness.sendAsync("b2-" + i, EngineHarness.get("b2-" + i, url(b, "b.test", "/b2/" + i)));
        }
        harness.flush();
        await("B beside A").atMost(Duration.ofSeconds(30)).until(() -> b.arrivals("/b2/").size() >= bEvents);
        double beside = rate(b.arrivals("/b2/"), 10, bEvents);
        int aCallsWhileDown = a.arrivals("/a/").size();
        String aOrigin = origin(a, "a.test");
        String aCircuit = state(engine).circuits().get(aOrigin);

        System.out.printf("RateIsolationIT B alone %.1f/s, B beside a host that never answers %.1f/s (%.1f %%);"
                + " A got %d calls for %d events meanwhile, its circuit %s, B's %s%n", alone, beside,
                100 * beside / alone, aCallsWhileDown, aEvents, aCircuit,
                state(engine).circuits().get(origin(b, "b.test")));
        assertThat(beside / alone).as("B's throughput beside A over B's alone").isBetween(0.9, 1.1);
        assertThat(aCircuit).as("A's circuit").isIn("OPEN", "HALF_OPEN");
        assertThat(aCallsWhileDown).as("calls to A while it was down (its events' 3 attempts each would be %d)",
                3 * aEvents).isLessThan(3 * aEvents / 2);

        int beforeRecovery = aCallsWhileDown;
        await("A is probed again after its circuit's wait").atMost(Duration.ofSeconds(10))
                .until(() -> a.arrivals("/a/").size() > beforeRecovery);
        answering.countDown();
        OutcomeAudit.Outcomes outcomes = harness.awaitEvery(aIds, Duration.ofSeconds(30));
        long aResults = outcomes.results().stream().map(result -> result.get("requestId").textValue()).filter(aIds::contains).count();
        System.out.printf("RateIsolationIT A recovered: %d of %d events with a result, %d calls in all%n", aResults,
                aEvents, a.arrivals("/a/").size());
        assertThat(state(engine).circuits().get(aOrigin)).as("A's circuit once it answers").isEqualTo("CLOSED");
        assertThat(aResults).as("A's events that got an answer once it recovered").isGreaterThan(aEvents / 2);
    }

    @Test
    void fiftyThousandEventsQueuedForASlowKeyDoNotHoldUpTheEventsOfAHundredOtherKeys() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        EventTarget slow = closing.add(new EventTarget((id, call) -> {
            release.await(2, TimeUnit.SECONDS);
            return EventTarget.status(200);
        }));
        EventTarget fast = closing.add(new EventTarget((id, call) -> EventTarget.status(200)));
        int maxInFlight = 1000;
        int perKey = maxInFlight / 4;
        EngineHarness harness = closing.add(new EngineHarness(sandbox, 4, Map.of("courier.ordering", "unordered",
                "courier.max-in-flight", Integer.toString(maxInFlight))));
        closing.add(release::countDown);
        Engine engine = harness.start();
        Bounds bounds = closing.add(new Bounds(engine));

        int slowEvents = 50_000;
        long publishing = System.nanoTime();
        for (int i = 0; i < slowEvents; i++) {
            String id = "s" + i;
            harness.sendAsync(0, id, withKey(id, slow.url(id), "slow"));
        }
        harness.flush();
        double publishSeconds = (System.nanoTime() - publishing) / 1e9;
        await("the slow key is at its bounds").atMost(Duration.ofSeconds(30))
                .until(() -> engine.dispatcher().parked() >= perKey);

        int keys = 100;
        int perOtherKey = 5;
        long started = System.nanoTime();
        for (int i = 0; i < perOtherKey; i++) {
            for (int k = 0; k < keys; k++) {
                String id = "o" + k + "-" + i;
                // partitions 1-3: a partition whose next event is for a key with no room waits for it (by design)
                harness.sendAsync(1 + k % 3, id, withKey(id, fast.url(id), "k" + k));
            }
        }
        harness.flush();
        await("every event of the other keys").atMost(Duration.ofSeconds(20))
                .until(() -> fast.eventsCalled("o") >= keys * perOtherKey);
        double othersSeconds = (System.nanoTime() - started) / 1e9;
        int slowCalls = slow.totalCalls();
        bounds.close();

        System.out.printf("RateIsolationIT %d slow events published in %.1f s; %d events of %d other keys done in"
                + " %.2f s while the slow key had %d calls; at most %d parked, %d in the dispatcher, %d of the slow"
                + " key%n", slowEvents, publishSeconds, keys * perOtherKey, keys, othersSeconds, slowCalls,
                bounds.parked.get(), bounds.inFlight.get(), bounds.slowKey.get());
        assertThat(publishSeconds).as("seconds to publish the slow key's events").isLessThan(20);
        assertThat(othersSeconds).as("seconds until every event of the other keys was called").isLessThan(5);
        assertThat(slowCalls).as("the slow key's events called by then").isLessThan(slowEvents / 20);
        assertThat(bounds.parked.get()).as("events parked (only the slow key parks)").isLessThanOrEqualTo(perKey);
        assertThat(bounds.slowKey.get()).as("the slow key's events in the dispatcher").isBetween(perKey, 2 * perKey);
        assertThat(bounds.inFlight.get()).as("events in the dispatcher: counted ones, and parked ones")
                .isLessThanOrEqualTo(maxInFlight + perKey);
    }

    /** Samples the dispatcher's parked and in-flight events until closed, and keeps the most of each. */
    private static final class Bounds implements AutoCloseable {

        final AtomicInteger parked = new AtomicInteger();
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger slowKey = new AtomicInteger();
        private final Thread sampler;
        private volatile boolean stopped;

        Bounds(Engine engine) {
            sampler = new Thread(() -> {
                int round = 0;
                while (!stopped) {
                    parked.accumulateAndGet(engine.dispatcher().parked(), Math::max);
                    inFlight.accumulateAndGet(engine.dispatcher().inFlight(), Math::max);
                    if (round++ % 20 == 0) {
                        DispatchState.KeyStatus key = state(engine).key("slow");
                        slowKey.accumulateAndGet(key == null ? 0 : key.events(), Math::max);
                    }
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
                }
            }, "bounds-sampler");
            sampler.setDaemon(true);
            sampler.start();
        }

        @Override
        public void close() {
            stopped = true;
            try {
                sampler.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Makes 50 calls to {@code prefix} on {@code target} first: the first calls of an engine open connections and run
     * cold code, and arrive late and then together, though they took their tokens at the rate.
     */
    private static void warmUp(EngineHarness harness, RecordingTarget target, String prefix) {
        String path = java.net.URI.create(prefix).getPath();
        for (int i = 0; i < WARM_UP; i++) {
            harness.sendAsync("w" + i, EngineHarness.get("w" + i, prefix + i));
        }
        harness.flush();
        await("the warm-up calls").atMost(Duration.ofSeconds(30))
                .until(() -> target.arrivals(path).size() >= WARM_UP);
    }

    private static DispatchState state(Engine engine) {
        try {
            return engine.dispatcher().state().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("no dispatcher state within 5 s", e);
        }
    }

    /** A target that answers 200 at once, without a body (see {@link EventTarget#status}). */
    private static RecordingTarget quietTarget() throws java.io.IOException {
        return new RecordingTarget(request -> EventTarget.status(200));
    }

    /** The origin of {@code target} under the name {@code host}: the host whose circuit and rate the calls have. */
    private static String origin(RecordingTarget target, String host) {
        return url(target, host, "").replaceAll("/$", "");
    }

    /** {@code path} on {@code target} under the name {@code host} (which the test's resolver maps to 127.0.0.1). */
    private static String url(RecordingTarget target, String host, String path) {
        return "http://" + host + ":" + java.net.URI.create(target.url("/")).getPort() + path;
    }

    private static RequestSpec withKey(String id, String url, String rateLimitKey) {
        return new RequestSpec(id, "GET", url, null, null, Map.of(), null, null, null, null, null, null, "corr-" + id,
                rateLimitKey, Map.of());
    }

    /** Calls a second between arrival {@code from} and arrival {@code to} (exclusive). */
    private static double rate(List<RecordingTarget.Arrival> arrivals, int from, int to) {
        long nanos = arrivals.get(to - 1).nanos() - arrivals.get(from).nanos();
        return (to - 1 - from) * (double) SECOND / nanos;
    }

    /**
     * The most calls in any window from one arrival to a later one (both included) beyond {@code rate} × the window's
     * length: the largest {@code (j - i + 1) - rate × (t_j - t_i)}, which a token bucket keeps at or under its burst.
     */
    private static double worstExcess(List<RecordingTarget.Arrival> arrivals, double rate) {
        double perNano = rate / SECOND;
        long origin = arrivals.get(0).nanos();
        double lowest = Double.MAX_VALUE;
        double worst = 0;
        for (int j = 0; j < arrivals.size(); j++) {
            double at = j - perNano * (arrivals.get(j).nanos() - origin);
            lowest = Math.min(lowest, at);
            worst = Math.max(worst, at - lowest + 1);
        }
        return worst;
    }
}
