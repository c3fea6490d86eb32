package dev.courier.engine;

import static dev.courier.engine.EngineHarness.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.courier.model.RequestSpec;
import dev.courier.testkit.Closing;
import dev.courier.testkit.CourierProcess;
import dev.courier.testkit.EventTarget;
import dev.courier.testkit.PrivateBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Fault injection over the whole engine (it took over from the chaos test, which only killed one instance): two {@code courier run} processes share the requests of a flaky target
 * on a broker of the test's own, with the schema registry behind a proxy that can be cut, and a seeded random
 * series of faults hits them while they work: the broker restarts, the registry goes away, an instance is killed
 * with SIGKILL and started again, an instance leaves and comes back (rebalances), and records whose outcomes are
 * over the size limit arrive. A supervisor restarts an instance that exits by itself, as Kubernetes would; the
 * only exits allowed are start-ups that found Kafka or the registry away. At the end every event has exactly one
 * outcome (exactly-once) or at least one (at-least-once).
 *
 * <p>CI runs a size that fits; {@code -Dfaults.events=50000 -Dfaults.steps=40} is a long soak, and
 * {@code -Dfaults.seed=N} repeats a run's faults and target behaviour.
 */
@Timeout(900)
class FaultInjectionIT {

    private static final int EVENTS = Integer.getInteger("faults.events", 6_000);
    private static final int STEPS = Integer.getInteger("faults.steps", 6);
    private static final int INSTANCES = 2;
    private static final int MAX_IN_FLIGHT = 200;
    /** What a start-up that found Kafka or the registry away prints; the only reasons an instance may exit. */
    private static final List<String> ALLOWED_EXITS = List.of("did not answer within", "is unreachable");

    /** The faults, each a step of the series. */
    enum Fault {
        BROKER_RESTART, REGISTRY_OUTAGE, SIGKILL, LEAVE_AND_REJOIN, OVERSIZED_RECORDS
    }

    @AutoClose
    private final Closing closing = new Closing();

    @ParameterizedTest(name = "{0}")
    @EnumSource(Guarantee.class)
    void everyEventHasItsOutcomeThroughARandomSeriesOfFaults(Guarantee guarantee) throws Exception {
        long seed = Long.getLong("faults.seed", new Random().nextLong());
        Random random = new Random(seed);
        PrivateBroker broker = closing.add(PrivateBroker.start());
        PausableProxy registry = closing.add(new PausableProxy(broker.registryUrl()));
        EventTarget target = closing.add(new EventTarget((id, call) -> flaky(seed, id, call)));
        EngineHarness harness = closing.add(new EngineHarness(broker.bootstrapServers(), broker.registryUrl(),
                broker::newTopic, 4, Map.of()));
        List<String> ids = publish(harness, target, "e", EVENTS);
        int raw = 0;
        Supervisor instances = new Supervisor(guarantee, harness, registry);
        long startedAt = System.nanoTime();
        List<String> steps = new ArrayList<>();

        for (int mark : marks(random)) {
            instances.awaitWhileSupervising("events called reach " + mark, Duration.ofSeconds(180),
                    () -> target.eventsCalled() >= mark);
            Thread.sleep(random.nextInt(300)); // a random moment: mid-call, mid-publish or mid-commit
            Fault fault = Fault.values()[random.nextInt(Fault.values().length)];
            Duration down = Duration.ofMillis(2_000 + random.nextInt(4_000));
            int slot = random.nextInt(INSTANCES);
            switch (fault) {
                case BROKER_RESTART -> {
                    broker.stopBroker();
                    instances.superviseFor(down);
                    broker.restartBroker();
                }
                case REGISTRY_OUTAGE -> {
                    registry.pause();
                    instances.superviseFor(down);
                    registry.resume();
                }
                case SIGKILL -> instances.kill(slot);
                case LEAVE_AND_REJOIN -> {
                    instances.terminate(slot);
                    instances.superviseFor(down);
                    instances.start(slot);
                }
                case OVERSIZED_RECORDS -> {
                    ids.addAll(oversized(harness, target, steps.size()));
                    harness.sendRaw(new byte[600 * 1024], "not an event".getBytes(StandardCharsets.UTF_8));
                    raw++;
                }
            }
            steps.add(String.format("%.1f s %s%s", seconds(startedAt), fault,
                    fault == Fault.BROKER_RESTART || fault == Fault.REGISTRY_OUTAGE || fault == Fault.LEAVE_AND_REJOIN
                            ? " for " + down.toMillis() + " ms" : ""));
        }
        int rawRecords = raw;
        instances.awaitWhileSupervising("every event has an outcome", Duration.ofSeconds(300),
                () -> harness.outcomes().missing(ids).isEmpty() && undecodable(harness.outcomes()) >= rawRecords);
        double elapsed = seconds(startedAt);
        instances.stopAll();

        OutcomeAudit.Outcomes outcomes = harness.outcomes();
        System.out.printf("FaultInjectionIT [%s] seed %d (repeat with -Dfaults.seed=%d)%n", guarantee, seed, seed);
        System.out.printf("  %d events and %d records that are not events, in %.1f s; faults: %s%n", ids.size(), raw,
                elapsed, String.join("; ", steps));
        System.out.printf("  HTTP calls per event: %s; outcomes: %d results, %d dead letters; more than one: %d;"
                + " instances that exited by themselves: %d%n", EventTarget.format(target.callHistogram(ids)),
                outcomes.results().size(), outcomes.deadLetters().size(), outcomes.duplicated().size(),
                instances.exits.size());
        Offenders.assertNone("exited for a reason other than a start-up during an outage", instances.exits.stream()
                .filter(output -> ALLOWED_EXITS.stream().noneMatch(output::contains)).toList());
        Offenders.assertNone("have no outcome", outcomes.missing(ids));
        Set<String> sent = new HashSet<>(ids);
        Offenders.assertNone("have an outcome but were never sent", outcomes.countById().keySet().stream()
                .filter(id -> !sent.contains(id) && !id.contains("@")).toList());
        if (guarantee.exactlyOnce()) {
            Offenders.assertNone("have more than one outcome", outcomes.duplicated());
            assertThat(undecodable(outcomes)).as("dead letters of records that are not events").isEqualTo(raw);
        } else {
            assertThat(undecodable(outcomes)).as("dead letters of records that are not events").isGreaterThanOrEqualTo(raw);
            assertThat(outcomes.duplicated().size()).as("events with more than one outcome: at most what was in"
                    + " flight in every instance, for each fault").isLessThanOrEqualTo(MAX_IN_FLIGHT * INSTANCES * STEPS);
        }
        Map<String, Integer> attempts = mostAttempts(outcomes);
        Offenders.assertNone("claim more attempts than the target saw",
                ids.stream().filter(id -> target.calls(id) < attempts.get(id)).toList());
        Offenders.assertNone("are POSTs whose calls did not all carry their idempotencyKey", ids.stream()
                .filter(id -> id.endsWith("-post")).filter(id -> !target.idempotencyKeys(id).equals(Set.of("idem-" + id)))
                .toList());
        // without an idempotencyKey, every attempt carries the event's id, in both modes
        Offenders.assertNone("are GETs whose calls did not all carry their id as Idempotency-Key", ids.stream()
                .filter(id -> !id.endsWith("-post")).filter(id -> !target.idempotencyKeys(id).equals(Set.of(id)))
                .toList());
    }

    /** For each request id, the most attempts any of its outcomes reports. */
    private static Map<String, Integer> mostAttempts(OutcomeAudit.Outcomes outcomes) {
        Map<String, Integer> attempts = new HashMap<>();
        for (ObjectNode result : outcomes.results()) {
            attempts.merge(result.get("requestId").textValue(), result.get("attempts").intValue(), Math::max);
        }
        for (ObjectNode deadLetter : outcomes.deadLetters()) {
            attempts.merge(OutcomeAudit.identity(deadLetter), deadLetter.get("attempts").intValue(), Math::max);
        }
        return attempts;
    }

    /** The {@code courier run} instances, restarted when they exit by themselves. */
    private final class Supervisor {

        private final Map<String, String> settings;
        private final CourierProcess[] slots = new CourierProcess[INSTANCES];
        private final Guarantee guarantee;
        /** The output of each instance that exited by itself. */
        final List<String> exits = new ArrayList<>();

        Supervisor(Guarantee guarantee, EngineHarness harness, PausableProxy registry) throws Exception {
            this.guarantee = guarantee;
            Map<String, String> values = new HashMap<>(harness.processSettings(Map.of(
                    "courier.schema-registry.url", registry.url().toString(),
                    "courier.workers", "16",
                    "courier.max-in-flight", String.valueOf(MAX_IN_FLIGHT),
                    "courier.ordering", "unordered",
                    "courier.retry.backoff-max", "100ms",
                    "courier.http.call-timeout", "5s",
                    "courier.connect-timeout", "5s",
                    "kafka.session.timeout.ms", "6000",
                    "kafka.heartbeat.interval.ms", "1000")));
            values.putAll(guarantee.settings("unused"));
            this.settings = values;
            for (int slot = 0; slot < INSTANCES; slot++) {
                start(slot);
            }
        }

        void start(int slot) throws Exception {
            Map<String, String> instance = new HashMap<>(settings);
            instance.putAll(guarantee.settings("faults-" + guarantee + "-" + slot)); // stable per slot, as in a StatefulSet
            slots[slot] = closing.add(CourierProcess.start(instance, "run"));
        }

        void kill(int slot) throws Exception {
            slots[slot].kill();
            start(slot);
        }

        void terminate(int slot) throws Exception {
            slots[slot].terminate(60);
        }

        /** Restarts any instance that exited by itself, keeping its output. */
        void supervise() throws Exception {
            for (int slot = 0; slot < INSTANCES; slot++) {
                if (slots[slot] != null && !slots[slot].isAlive() && slots[slot].exitedByItself()) {
                    exits.add(slots[slot].outputTail(2_000));
                    start(slot);
                }
            }
        }

        void superviseFor(Duration duration) throws Exception {
            long until = System.nanoTime() + duration.toNanos();
            while (System.nanoTime() - until < 0) {
                supervise();
                Thread.sleep(100);
            }
        }

        void awaitWhileSupervising(String what, Duration atMost, java.util.concurrent.Callable<Boolean> condition) {
            await(what).atMost(atMost).pollInterval(Duration.ofMillis(200)).until(() -> {
                supervise();
                return condition.call();
            });
        }

        void stopAll() throws Exception {
            for (CourierProcess process : slots) {
                process.terminate(60);
            }
        }
    }

    /** Records whose outcomes must be reduced to fit: 900 KiB of attributes, and a response over the body cap. */
    private static List<String> oversized(EngineHarness harness, EventTarget target, int step) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            String id = "big-" + step + "-" + i;
            ids.add(id);
            RequestSpec big = new RequestSpec(id, "GET", target.url(id), null, null, Map.of(), null, null, null, null,
                    null, null, null, null, Map.of("blob", "a".repeat(900 * 1024)));
            harness.send("big-" + i, big);
        }
        return ids;
    }

    private static List<String> publish(EngineHarness harness, EventTarget target, String prefix, int count) {
        List<String> ids = new ArrayList<>(count);
        byte[] body = "{\"amount\":1}".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < count; i++) {
            String id = prefix + i + (i % 10 < 7 ? "-post" : "-get");
            ids.add(id);
            harness.sendAsync("k" + (i % 1000), id.endsWith("-post")
                    ? request(id, "POST", target.url(id), body, "idem-" + id)
                    : request(id, "GET", target.url(id), null, null));
        }
        harness.flush();
        return ids;
    }

    /**
     * Per call about 10 % 503, 3 % slow, 2 % a connection reset as the response starts, the rest 200; an
     * oversized event's response is over the body cap. The answer depends only on the seed, the event and the
     * call's number.
     */
    private static MockResponse flaky(long seed, String id, int call) {
        if (id.startsWith("big-")) {
            return new MockResponse.Builder().code(200).body("b".repeat(300 * 1024)).build();
        }
        SplittableRandom dice = new SplittableRandom(seed ^ (id.hashCode() * 0x9E3779B97F4A7C15L) + call);
        double roll = dice.nextDouble();
        if (roll < 0.10) {
            return EventTarget.status(503);
        }
        if (roll < 0.13) {
            return new MockResponse.Builder().code(200).headersDelay(100 + dice.nextInt(200), TimeUnit.MILLISECONDS)
                    .build();
        }
        if (roll < 0.15) {
            return new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build();
        }
        return EventTarget.status(200);
    }

    private static long undecodable(OutcomeAudit.Outcomes outcomes) {
        return outcomes.deadLetters().stream().filter(letter -> letter.get("category").textValue().equals("UNDECODABLE"))
                .map(OutcomeAudit::identity).distinct().count();
    }

    /** {@link #STEPS} points, as numbers of events called, spread at random over 5 %..85 % of the run. */
    private static List<Integer> marks(Random random) {
        TreeSet<Integer> marks = new TreeSet<>();
        while (marks.size() < STEPS) {
            marks.add((int) (EVENTS * (0.05 + 0.80 * random.nextDouble())));
        }
        return new ArrayList<>(marks);
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
