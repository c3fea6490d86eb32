package dev.courier.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.courier.http.HostResolver;
import dev.courier.intake.EngineListener;
import dev.courier.model.Redactor;
import dev.courier.ops.AdminResponse;
import dev.courier.ops.DeadLetterLog;
import dev.courier.ops.EngineMetrics;
import dev.courier.ops.Health;
import dev.courier.ops.Metrics;
import dev.courier.testkit.Closing;
import dev.courier.testkit.PrivateBroker;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The health probes of a running engine on a broker of the test's own: ready once it has joined the group, not
 * ready while the broker is stopped (and live all along), ready again when it is back; and not live once the intake
 * thread is wedged past its bound (the wedge is a listener that blocks, and the probe's clock is moved on, so the
 * test does not wait out the minute).
 */
@Timeout(180)
class HealthIT {

    @AutoClose
    private final Closing closing = new Closing();

    @Test
    void readyFollowsTheBrokerAndLiveFailsOnlyWhenIntakeIsWedged() throws Exception {
        PrivateBroker broker = closing.add(PrivateBroker.start());
        EngineHarness harness = closing.add(new EngineHarness(broker.bootstrapServers(), broker.registryUrl(),
                broker::newTopic, 1, Map.of("courier.shutdown.drain-timeout", "1s")));
        AtomicLong skew = new AtomicLong();
        java.util.function.LongSupplier nanoTime = () -> System.nanoTime() + skew.get();
        Metrics metrics = closing.add(new Metrics());
        EngineObserver observer = new EngineObserver(new EngineMetrics(metrics.registry(), 100,
                harness.settings().rate()), new DeadLetterLog(), Redactor.defaults(), Clock.systemUTC(), nanoTime);
        Wedge wedge = new Wedge();
        RegistryProbe registry = closing.add(RegistryProbe.start(harness.settings().registry(),
                harness.settings().topics().results() + "-value"));
        KafkaProbe kafka = closing.add(KafkaProbe.start(harness.kafka(), Duration.ofSeconds(2)));
        Engine engine = closing.add(Engine.start(harness.settings(), EngineListener.all(observer, wedge),
                HostResolver.SYSTEM, null));
        Health health = new Health();
        EngineHealth.register(health, harness.settings(), engine, observer, kafka, registry, nanoTime);
        health.started();

        awaitStatus("ready after start", health::readiness, 200, Duration.ofSeconds(60));
        assertThat(health.liveness().status()).isEqualTo(200);

        broker.stopBroker();
        AdminResponse notReady = awaitStatus("not ready while the broker is stopped", health::readiness, 503,
                Duration.ofSeconds(60));
        assertThat(body(notReady)).contains("\"kafka\":{\"status\":\"DOWN\"");
        assertThat(health.liveness().status()).as(body(health.liveness())).isEqualTo(200);

        broker.restartBroker();
        awaitStatus("ready again once the broker is back", health::readiness, 200, Duration.ofSeconds(90));
        assertThat(health.liveness().status()).isEqualTo(200);

        wedge.arm();
        assertThat(wedge.wedged.await(10, TimeUnit.SECONDS)).as("the intake thread reached the wedge").isTrue();
        skew.addAndGet(EngineHealth.intakeStallBound(harness.settings()).plusSeconds(1).toNanos());
        AdminResponse dead = health.liveness();
        wedge.release();

        assertThat(dead.status()).isEqualTo(503);
        assertThat(body(dead)).contains("\"intake\":{\"status\":\"DOWN\",\"reason\":\"the intake loop has not turned");
    }

    private static AdminResponse awaitStatus(String what, java.util.function.Supplier<AdminResponse> probe, int status,
            Duration within) {
        return await(what).atMost(within).pollInterval(Duration.ofMillis(250))
                .until(probe::get, response -> response.status() == status);
    }

    private static String body(AdminResponse response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    /** Blocks the intake thread at its next turn once armed, until released. */
    private static final class Wedge implements EngineListener {

        final CountDownLatch wedged = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);
        private final AtomicBoolean armed = new AtomicBoolean();

        void arm() {
            armed.set(true);
        }

        void release() {
            released.countDown();
        }

        @Override
        public void onPolled(IntakeView view) {
            if (armed.compareAndSet(true, false)) {
                wedged.countDown();
                try {
                    released.await(60, TimeUnit.SECONDS); // the wedge under test, released by the test
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
