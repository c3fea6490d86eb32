package dev.courier.engine;

import static dev.courier.engine.EngineHarness.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.courier.config.Settings;
import dev.courier.intake.EngineListener;
import dev.courier.testkit.Closing;
import dev.courier.testkit.CourierProcess;
import dev.courier.testkit.EventTarget;
import dev.courier.testkit.TestSandbox;
import dev.courier.testkit.WithSandbox;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * SIGTERM while a {@code courier run} drains a partition a rebalance took away, with calls that do not answer
 * within the drain: the process exits within the shutdown bound of its settings, the defaults' 28 s, below
 * Kubernetes' default grace period of 30 s (issue 22, item 8). {@code IntakeStopDeadlineTest} shows the drain's end
 * on the intake's own clock; this shows the whole process on the real broker.
 */
@WithSandbox
@Timeout(180)
class ShutdownDuringRevocationIT {

    /** Scheduling noise of a loaded 2-core machine on top of the bound: the JVM's own exit, the log's flush. */
    private static final Duration SLACK = Duration.ofSeconds(5);

    private final TestSandbox sandbox;
    @AutoClose
    private final Closing closing = new Closing();

    ShutdownDuringRevocationIT(TestSandbox sandbox) {
        this.sandbox = sandbox;
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Guarantee.class)
    void sigtermDuringARevocationDrainExitsWithinTheShutdownBound(Guarantee guarantee) throws Exception {
        EventTarget target = closing.add(new EventTarget((id, call) -> new MockResponse.Builder().code(200)
                .headersDelay(90, TimeUnit.SECONDS).build()));
        EngineHarness harness = closing.add(new EngineHarness(sandbox, 2, Map.of()));
        for (int i = 0; i < 8; i++) {
            harness.sendAsync(i % 2, "k" + i, get("slow-" + i, target.url("slow-" + i)));
        }
        harness.flush();
        Map<String, String> settings = new HashMap<>(harness.processSettings(
                Map.of("courier.log.format", "text")));
        settings.putAll(guarantee.settings("terminated-" + UUID.randomUUID()));
        Settings defaults = Settings.defaults();
        Duration bound = Engine.shutdownBound(defaults);
        CourierProcess process = closing.add(CourierProcess.start(settings, "run"));
        await("calls in progress in both partitions").atMost(Duration.ofSeconds(60))
                .until(() -> target.eventsCalled() == 8);

        closing.add(Engine.start(harness.settingsWith(guarantee.settings("joining-" + UUID.randomUUID())),
                EngineListener.NONE));
        await("the process drains a revoked partition").atMost(Duration.ofSeconds(60))
                .until(() -> process.output().contains("letting their calls in progress finish"));
        long signalled = System.nanoTime();
        int exitCode = process.terminate((int) bound.plus(SLACK).toSeconds() + 30);
        Duration took = Duration.ofNanos(System.nanoTime() - signalled);

        System.out.printf("ShutdownDuringRevocationIT [%s] SIGTERM during a revocation drain: exited %d after %d ms"
                + " (bound %d s)%n", guarantee, exitCode, took.toMillis(), bound.toSeconds());
        assertThat(exitCode).as("exit code; output:%n%s", process.outputTail(4000)).isEqualTo(143);
        assertThat(bound).as("the defaults' bound, under Kubernetes' default grace").isLessThan(Duration.ofSeconds(30));
        assertThat(took).as("from SIGTERM to exit; output:%n%s", process.outputTail(4000))
                .isLessThan(bound.plus(SLACK));
    }
}
