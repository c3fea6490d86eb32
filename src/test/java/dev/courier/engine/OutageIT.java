package dev.courier.engine;

import static dev.courier.engine.EngineHarness.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.courier.intake.EngineListener;
import dev.courier.testkit.Closing;
import dev.courier.testkit.CourierProcess;
import dev.courier.testkit.EventTarget;
import dev.courier.testkit.PrivateBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The broker is gone for 45 s ({@code -Doutage.seconds=N} changes that), longer than every timeout of the engines'
 * clients, while Courier runs in both guarantees at once: the engines ride it out and every event ends with its
 * outcome, exactly one in exactly-once mode. During the same outage a {@code courier run} process of each guarantee gets SIGTERM and must exit within
 * the shutdown's documented worst case (drain timeout + commit timeout + 8 s), not hang on a broker that does
 * not answer.
 *
 * <p>The broker is the test's own, never the shared sandbox other tests use.
 */
@Timeout(480)
class OutageIT {

    /**
     * The engines' producers give a send up after this (Kafka's default is two minutes), so the outage outlasts every
     * timeout involved: a send's delivery, a transaction (10 s), the group's session (10 s), a commit (5 s).
     */
    private static final String DELIVERY_TIMEOUT_MS = "20000";
    private static final Duration OUTAGE = Duration.ofSeconds(Long.getLong("outage.seconds", 45));
    private static final int EVENTS_BEFORE = 3_000;
    private static final int EVENTS_AFTER = 200;
    /** What the terminated processes are given, so their shutdown's worst case is short: 5 s + 3 s + 8 s. */
    private static final Map<String, String> QUICK_SHUTDOWN = Map.of("courier.shutdown.drain-timeout", "5s",
            "courier.commit.timeout", "3s");
    private static final Duration SHUTDOWN_BOUND = Duration.ofSeconds(5 + 3 + 8);
    /** Scheduling noise of a loaded 2-core machine, on top of the bound: the JVM's own exit, the log's flush. */
    private static final Duration SLACK = Duration.ofSeconds(5);

    @AutoClose
    private final Closing closing = new Closing();

    @Test
    void bothGuaranteesRideOutABrokerOutageAndSigtermDuringItExitsWithinTheShutdownBound() throws Exception {
        PrivateBroker broker = closing.add(PrivateBroker.start());
        EventTarget target = closing.add(new EventTarget((id, call) ->
                new MockResponse.Builder().code(200).headersDelay(id.startsWith("slow") ? 1_000 : 100,
                        TimeUnit.MILLISECONDS).build()));
        Map<Guarantee, EngineHarness> harnesses = new EnumMap<>(Guarantee.class);
        Map<Guarantee, Engine> engines = new EnumMap<>(Guarantee.class);
        Map<Guarantee, List<String>> ids = new EnumMap<>(Guarantee.class);
        Map<Guarantee, CourierProcess> processes = new EnumMap<>(Guarantee.class);
        for (Guarantee guarantee : Guarantee.values()) {
            EngineHarness harness = closing.add(new EngineHarness(broker.bootstrapServers(), broker.registryUrl(),
                    broker::newTopic, 3, Map.of("courier.workers", "8", "courier.max-in-flight", "100",
                            "courier.ordering", "unordered", "kafka.request.timeout.ms", "10000",
                            "kafka.delivery.timeout.ms", DELIVERY_TIMEOUT_MS)));
            harnesses.put(guarantee, harness);
            ids.put(guarantee, new ArrayList<>());
            send(harness, target, ids.get(guarantee), guarantee + "-before", EVENTS_BEFORE);
            processes.put(guarantee, terminatedProcess(broker, target, guarantee));
        }
        // The processes first: on a loaded machine their start can outlast the engines' whole backlog.
        await("the processes at work").atMost(Duration.ofSeconds(90)).until(() -> Arrays.stream(Guarantee.values())
                .allMatch(guarantee -> target.eventsCalled("slow-" + guarantee) >= 16));
        for (Guarantee guarantee : Guarantee.values()) {
            engines.put(guarantee, closing.add(Engine.start(harnesses.get(guarantee).settingsWith(
                    guarantee.settings("outage")), EngineListener.NONE)));
        }
        await("the engines at work").atMost(Duration.ofSeconds(90)).until(() -> Arrays.stream(Guarantee.values())
                .allMatch(guarantee -> target.eventsCalled(guarantee + "-before") >= 100));
        for (Guarantee guarantee : Guarantee.values()) {
            assertThat(target.eventsCalled(guarantee + "-before")).as("%s events called before the outage", guarantee)
                    .isLessThan(EVENTS_BEFORE);
        }

        broker.stopBroker();
        long stoppedAt = System.nanoTime();
        Thread.sleep(10_000); // long enough for commits to time out and be pending
        Map<Guarantee, Duration> exits = new EnumMap<>(Guarantee.class);
        for (Map.Entry<Guarantee, CourierProcess> process : processes.entrySet()) {
            long signalled = System.nanoTime();
            int code = process.getValue().terminate((int) SHUTDOWN_BOUND.plus(SLACK).toSeconds() + 30);
            Duration took = Duration.ofNanos(System.nanoTime() - signalled);
            exits.put(process.getKey(), took);
            assertThat(code).as("exit code of the %s process; output:%n%s", process.getKey(),
                    process.getValue().outputTail(3000)).isEqualTo(143);
        }
        long left = OUTAGE.toNanos() - (System.nanoTime() - stoppedAt);
        if (left > 0) {
            Thread.sleep(TimeUnit.NANOSECONDS.toMillis(left));
        }
        broker.restartBroker();
        for (Guarantee guarantee : Guarantee.values()) {
            send(harnesses.get(guarantee), target, ids.get(guarantee), guarantee + "-after", EVENTS_AFTER);
        }

        for (Guarantee guarantee : Guarantee.values()) {
            EngineHarness harness = harnesses.get(guarantee);
            await(guarantee + ": every event has an outcome").atMost(Duration.ofSeconds(180))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> harness.outcomes().missing(ids.get(guarantee)).isEmpty());
        }
        for (Guarantee guarantee : Guarantee.values()) {
            Engine engine = engines.get(guarantee);
            assertThat(engine.failure()).as("%s engine stopped by itself", guarantee).isNull();
            engine.close();
            OutcomeAudit.Outcomes outcomes = harnesses.get(guarantee).outcomes();
            System.out.printf("OutageIT [%s] %d events, broker gone for %d s; HTTP calls per event: %s; duplicated"
                    + " outcomes %d; SIGTERM during the outage exited after %d ms (bound %d s)%n", guarantee,
                    ids.get(guarantee).size(), OUTAGE.toSeconds(),
                    EventTarget.format(target.callHistogram(ids.get(guarantee))), outcomes.duplicated().size(),
                    exits.get(guarantee).toMillis(), SHUTDOWN_BOUND.toSeconds());
            Offenders.assertNone("have no outcome", outcomes.missing(ids.get(guarantee)));
            if (guarantee.exactlyOnce()) {
                Offenders.assertNone("have more than one outcome", outcomes.duplicated());
            }
            assertThat(exits.get(guarantee)).as("%s process's shutdown during the outage", guarantee)
                    .isLessThan(SHUTDOWN_BOUND.plus(SLACK));
        }
    }

    /**
     * A {@code courier run} process that always has calls in progress (each takes a second), to be terminated
     * during the outage: its drain cannot publish, so it waits its whole drain timeout, and its commit times out.
     */
    private CourierProcess terminatedProcess(PrivateBroker broker, EventTarget target, Guarantee guarantee)
            throws Exception {
        EngineHarness harness = closing.add(new EngineHarness(broker.bootstrapServers(), broker.registryUrl(),
                broker::newTopic, 2, Map.of()));
        send(harness, target, new ArrayList<>(), "slow-" + guarantee, 2_000); // calls in progress at any time
        Map<String, String> settings = new HashMap<>(harness.processSettings(QUICK_SHUTDOWN));
        settings.putAll(guarantee.settings("outage-terminated-" + guarantee));
        settings.put("courier.workers", "8");
        return closing.add(CourierProcess.start(settings, "run"));
    }

    private static void send(EngineHarness harness, EventTarget target, List<String> ids, String prefix, int count) {
        for (int i = 0; i < count; i++) {
            String id = prefix + "-" + i;
            ids.add(id);
            harness.sendAsync("k" + i, get(id, target.url(id)));
        }
        harness.flush();
    }
}
