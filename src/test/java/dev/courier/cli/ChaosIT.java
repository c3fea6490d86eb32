package dev.courier.cli;

import static dev.courier.cli.EngineHarness.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.courier.testkit.Closing;
import dev.courier.testkit.TestSandbox;
import dev.courier.testkit.WithSandbox;
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
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The chaos test: {@code courier run} as a child process, 20,000 events against a flaky target, the
 * child killed with SIGKILL at random moments and started again, then every event's outcome counted
 * on the result and dead-letter topics as a read_committed reader sees them.
 *
 * <p>The kill moments and the target's answers come from one seed, printed with the figures (calls
 * per event, events called again after a kill, duplicate outcomes per kill); {@code -Dchaos.seed=N}
 * repeats a run's target behaviour and kill points.
 */
@WithSandbox
@Timeout(300)
class ChaosIT {

    private static final int EVENTS = 20_000;
    private static final int KILLS = 3;
    private static final int MAX_IN_FLIGHT = 200;
    /** Each event's every 100th is a 404: a dead letter at once, so the dead-letter topic takes its share. */
    private static final int GONE_EVERY = 100;

    private final TestSandbox sandbox;
    @AutoClose
    private final Closing closing = new Closing();

    ChaosIT(TestSandbox sandbox) {
        this.sandbox = sandbox;
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Guarantee.class)
    void everyEventHasItsOutcomeThroughRepeatedKillsOfTheProcess(Guarantee guarantee) throws Exception {
        long seed = Long.getLong("chaos.seed", new Random().nextLong());
        Random random = new Random(seed);
        EventTarget target = closing.add(new EventTarget((id, call) -> flaky(seed, id, call)));
        EngineHarness harness = closing.add(new EngineHarness(sandbox, 4, Map.of()));
        List<String> ids = publish(harness, target);
        Map<String, String> settings = new HashMap<>(RunProcessIT.settingsOf(harness, Map.of(
                "courier.workers", "32",
                "courier.max-in-flight", String.valueOf(MAX_IN_FLIGHT),
                "courier.ordering", "unordered",
                "courier.retry.backoff-max", "100ms",
                "courier.http.call-timeout", "5s",
                // a killed instance leaves the group when its session expires; the broker allows 6 s at least
                "kafka.session.timeout.ms", "6000",
                "kafka.heartbeat.interval.ms", "1000")));
        settings.putAll(guarantee.settings("chaos-" + guarantee));

        long startedAt = System.nanoTime();
        CourierProcess child = closing.add(CourierProcess.start(settings, "run"));
        List<String> kills = new ArrayList<>();
        for (int mark : killMarks(random)) {
            int callsAtStart = target.totalCalls();
            awaitWhileAlive(child, "events called reach " + mark, Duration.ofSeconds(90), Duration.ofMillis(20),
                    () -> target.eventsCalled() >= mark && target.totalCalls() - callsAtStart >= 100);
            Thread.sleep(random.nextInt(300)); // a random moment: mid-call, mid-publish or mid-commit
            child.kill();
            kills.add(String.format("%.1f s, %d events called", seconds(startedAt), target.eventsCalled()));
            child = closing.add(CourierProcess.start(settings, "run"));
        }

        awaitWhileAlive(child, "every event has an outcome", Duration.ofSeconds(150), Duration.ofSeconds(2),
                () -> harness.outcomes().missing(ids).isEmpty());
        double elapsed = seconds(startedAt);
        assertThat(child.terminate(60)).as("exit code after SIGTERM").isEqualTo(143);

        OutcomeAudit.Outcomes outcomes = harness.outcomes();
        Map<String, Integer> attempts = mostAttempts(outcomes);
        long calledAgain = ids.stream().filter(id -> target.calls(id) > attempts.get(id)).count();
        int duplicated = outcomes.duplicated().size();
        System.out.printf("ChaosIT [%s] seed %d (repeat with -Dchaos.seed=%d)%n", guarantee, seed, seed);
        System.out.printf("  %d events, %d results, %d dead letters, in %.1f s; %d kills at: %s%n", EVENTS,
                outcomes.results().size(), outcomes.deadLetters().size(), elapsed, KILLS, String.join("; ", kills));
        System.out.printf("  HTTP calls per event: %s (%d calls in all)%n",
                EventTarget.format(target.callHistogram(ids)), target.totalCalls());
        System.out.printf("  events called again after a kill (more calls than their outcome's attempts): %d%n",
                calledAgain);
        System.out.printf("  events with more than one outcome: %d (%.1f per kill; in-flight bound %d)%n",
                duplicated, (double) duplicated / KILLS, MAX_IN_FLIGHT);

        Offenders.assertNone("have no outcome", outcomes.missing(ids));
        Set<String> sent = new HashSet<>(ids);
        Offenders.assertNone("have an outcome but were never sent",
                outcomes.countById().keySet().stream().filter(id -> !sent.contains(id)).toList());
        if (guarantee.exactlyOnce()) {
            Offenders.assertNone("have more than one outcome", outcomes.duplicated());
        } else {
            assertThat(duplicated).as("events with more than one outcome, at most the in-flight bound per kill")
                    .isLessThanOrEqualTo(MAX_IN_FLIGHT * KILLS);
        }
        Offenders.assertNone("claim more attempts than the target saw",
                ids.stream().filter(id -> target.calls(id) < attempts.get(id)).toList());
        Offenders.assertNone("are POSTs whose calls did not all carry their idempotencyKey", ids.stream()
                .filter(ChaosIT::isPost).filter(id -> !target.idempotencyKeys(id).equals(Set.of("idem-" + id))).toList());
        // without an idempotencyKey, every attempt carries the event's id, in both modes
        Offenders.assertNone("are GETs whose calls did not all carry their id as Idempotency-Key", ids.stream()
                .filter(id -> !isPost(id)).filter(id -> !target.idempotencyKeys(id).equals(Set.of(id))).toList());
    }

    /**
     * Waits until {@code condition} holds, at most {@code atMost}; fails at once, with the end of the
     * child's output, if the child exits meanwhile.
     */
    static void awaitWhileAlive(CourierProcess child, String what, Duration atMost, Duration pollInterval,
            Callable<Boolean> condition) {
        await(what).atMost(atMost).pollInterval(pollInterval).until(() -> {
            if (!child.isAlive()) {
                throw new AssertionError("courier run exited while waiting until " + what + ":\n"
                        + child.outputTail(2_000));
            }
            return condition.call();
        });
    }

    /** Publishes the events: 70 % POSTs with an idempotencyKey (so resets are retried), 30 % GETs. */
    private static List<String> publish(EngineHarness harness, EventTarget target) {
        List<String> ids = new ArrayList<>(EVENTS);
        byte[] body = "{\"amount\":1}".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < EVENTS; i++) {
            String id = "e" + i + (i % 10 < 7 ? "-post" : "-get") + (i % GONE_EVERY == 42 ? "-gone" : "");
            ids.add(id);
            harness.sendAsync("k" + (i % 1000), isPost(id)
                    ? request(id, "POST", target.url(id), body, "idem-" + id)
                    : request(id, "GET", target.url(id), null, null));
        }
        harness.flush();
        return ids;
    }

    /**
     * The flaky target: per call, about 10 % 503, 3 % slow (150-400 ms), 2 % connection reset as the
     * response starts, the rest 200; events marked gone answer 404. The answer depends only on the seed,
     * the event and the call's number, so a seed repeats the target's behaviour.
     */
    private static MockResponse flaky(long seed, String id, int call) {
        if (id.endsWith("-gone")) {
            return EventTarget.status(404);
        }
        SplittableRandom dice = new SplittableRandom(seed ^ (id.hashCode() * 0x9E3779B97F4A7C15L) + call);
        double roll = dice.nextDouble();
        if (roll < 0.10) {
            return EventTarget.status(503);
        }
        if (roll < 0.13) {
            return new MockResponse.Builder().code(200).headersDelay(150 + dice.nextInt(250), TimeUnit.MILLISECONDS)
                    .build();
        }
        if (roll < 0.15) {
            return new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build();
        }
        return EventTarget.status(200);
    }

    /** {@link #KILLS} points, as numbers of events called, spread at random over 8 %..85 % of the run, 6 % apart at least. */
    private static List<Integer> killMarks(Random random) {
        TreeSet<Integer> marks = new TreeSet<>();
        while (marks.size() < KILLS) {
            int mark = (int) (EVENTS * (0.08 + 0.77 * random.nextDouble()));
            Integer below = marks.floor(mark);
            Integer above = marks.ceiling(mark);
            int gap = EVENTS * 6 / 100;
            if ((below == null || mark - below >= gap) && (above == null || above - mark >= gap)) {
                marks.add(mark);
            }
        }
        return new ArrayList<>(marks);
    }

    /** For each request id, the most attempts any of its outcomes reports. */
    static Map<String, Integer> mostAttempts(OutcomeAudit.Outcomes outcomes) {
        Map<String, Integer> attempts = new HashMap<>();
        for (ObjectNode result : outcomes.results()) {
            attempts.merge(result.get("requestId").textValue(), result.get("attempts").intValue(), Math::max);
        }
        for (ObjectNode deadLetter : outcomes.deadLetters()) {
            attempts.merge(OutcomeAudit.identity(deadLetter), deadLetter.get("attempts").intValue(), Math::max);
        }
        return attempts;
    }

    private static boolean isPost(String id) {
        return id.contains("-post");
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
