package dev.courier.cli;

import static dev.courier.cli.EngineHarness.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.courier.intake.EngineListener;
import dev.courier.testkit.Closing;
import dev.courier.testkit.PrivateBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The broker stops for a few seconds mid-run and comes back on the same port with the same data; the
 * engine, running all along, recovers by itself: the events of before, during and after the outage all
 * get their outcome, and none gets two (a broker restart is not a crash of Courier).
 *
 * <p>The broker is the test's own, never the shared sandbox other tests use.
 */
@Timeout(240)
class BrokerRestartIT {

    private static final int EVENTS_BEFORE = 3_000;
    private static final int EVENTS_AFTER = 500;
    private static final int MAX_IN_FLIGHT = 100;
    private static final Duration OUTAGE = Duration.ofSeconds(5);

    @AutoClose
    private final Closing closing = new Closing();

    @ParameterizedTest(name = "{0}")
    @EnumSource(Guarantee.class)
    void theEngineRidesOutABrokerRestartWithoutOperatorAction(Guarantee guarantee) throws Exception {
        PrivateBroker broker = closing.add(PrivateBroker.start());
        EventTarget target = closing.add(new EventTarget((id, call) ->
                new MockResponse.Builder().code(200).headersDelay(10, TimeUnit.MILLISECONDS).build()));
        EngineHarness harness = closing.add(new EngineHarness(broker.bootstrapServers(), broker.registryUrl(),
                broker::newTopic, 3, Map.of("courier.workers", "16", "courier.max-in-flight", String.valueOf(MAX_IN_FLIGHT),
                        "courier.ordering", "unordered")));
        List<String> ids = new ArrayList<>();
        send(harness, target, ids, "before", EVENTS_BEFORE);
        Engine engine = closing.add(Engine.start(harness.settingsWith(guarantee.settings("broker-restart")),
                EngineListener.NONE));

        await("a third of the events called").atMost(Duration.ofSeconds(60))
                .until(() -> target.eventsCalled() >= EVENTS_BEFORE / 3);
        broker.stopBroker();
        int calledAtStop = target.eventsCalled();
        Thread.sleep(OUTAGE.toMillis()); // the outage: calls in progress end, their outcomes cannot be published
        int calledDuringOutage = target.eventsCalled() - calledAtStop;
        broker.restartBroker();
        send(harness, target, ids, "after", EVENTS_AFTER);

        await("every event has an outcome").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .until(() -> harness.outcomes().missing(ids).isEmpty());
        assertThat(engine.failure()).as("the engine stopped by itself").isNull();
        engine.close();

        OutcomeAudit.Outcomes outcomes = harness.outcomes();
        System.out.printf("BrokerRestartIT [%s] %d events; broker stopped for %d s at %d events called, %d called"
                + " during the outage; HTTP calls per event: %s; duplicated outcomes %d%n", guarantee, ids.size(),
                OUTAGE.toSeconds(), calledAtStop, calledDuringOutage, EventTarget.format(target.callHistogram(ids)),
                outcomes.duplicated().size());
        assertThat(calledAtStop).as("events still to call when the broker stopped").isLessThan(EVENTS_BEFORE);
        Offenders.assertNone("have no outcome", outcomes.missing(ids));
        Offenders.assertNone("have more than one outcome", outcomes.duplicated());
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
