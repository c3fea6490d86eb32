package dev.courier.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.config.Settings;
import dev.courier.dispatch.DispatchState;
import dev.courier.dispatch.DispatchState.KeyStatus;
import io.skodjob.testframe.metrics.Gauge;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DispatchMetersTest {

    private final Metrics metrics = new Metrics();
    private final EngineMetrics engine = new EngineMetrics(metrics.registry(), 3, Settings.defaults().rate());

    @AfterEach
    void close() {
        metrics.close();
    }

    @Test
    void publishesEachKeysRatesPauseAndEventsAndEachHostsCircuit() {
        engine.dispatchState(new DispatchState(List.of(
                new KeyStatus("api.example.com", 100, 25, Duration.ofMillis(2_500), 40, 7),
                new KeyStatus("mail.example.com", 0, 0, Duration.ZERO, 3, 0)),
                Map.of("api.example.com", "OPEN", "mail.example.com", "CLOSED")));

        Scrape scrape = Scrape.parse(metrics.scrape());

        Map<String, String> api = Map.of("key", "api.example.com");
        assertThat(scrape.value("courier_rate_key_configured", api)).isEqualTo(100);
        assertThat(scrape.value("courier_rate_key_current", api)).isEqualTo(25);
        assertThat(scrape.value("courier_rate_key_paused_seconds", api)).isEqualTo(2.5);
        assertThat(scrape.value("courier_rate_key_events", api)).isEqualTo(40);
        assertThat(scrape.value("courier_rate_key_parked", api)).isEqualTo(7);
        assertThat(scrape.series("courier_rate_key_current", Map.of("key", "mail.example.com"))).hasSize(1);
        assertThat(scrape.value("courier_rate_key_current", Map.of("key", "mail.example.com")))
                .as("no limit is 0").isZero();
        assertThat(scrape.value("courier_circuit_state", Map.of("host", "api.example.com", "state", "open")))
                .isEqualTo(1);
        assertThat(scrape.value("courier_circuit_state", Map.of("host", "api.example.com", "state", "closed")))
                .isZero();
        assertThat(scrape.value("courier_circuit_state", Map.of("host", "api.example.com", "state", "half_open")))
                .isZero();
        assertThat(scrape.value("courier_circuit_state", Map.of("host", "mail.example.com", "state", "closed")))
                .isEqualTo(1);
    }

    @Test
    void aKeyOrHostTheDispatcherForgotLosesItsSeriesAndTheOthersKeepTheirNewValues() {
        engine.dispatchState(new DispatchState(List.of(new KeyStatus("a", 10, 10, Duration.ZERO, 1, 0),
                new KeyStatus("b", 20, 20, Duration.ZERO, 1, 0)), Map.of("a", "CLOSED", "b", "HALF_OPEN")));
        engine.dispatchState(new DispatchState(List.of(new KeyStatus("b", 20, 5, Duration.ZERO, 0, 0)),
                Map.of("b", "CLOSED")));

        Scrape scrape = Scrape.parse(metrics.scrape());

        assertThat(scrape.series("courier_rate_key_configured", Map.of())).hasSize(1);
        assertThat(scrape.series("courier_rate_key_current", Map.of("key", "a"))).isEmpty();
        assertThat(scrape.series("courier_rate_key_parked", Map.of("key", "a"))).isEmpty();
        assertThat(scrape.value("courier_rate_key_current", Map.of("key", "b"))).isEqualTo(5);
        assertThat(scrape.series("courier_circuit_state", Map.of("host", "a"))).isEmpty();
        assertThat(scrape.value("courier_circuit_state", Map.of("host", "b", "state", "closed"))).isEqualTo(1);
        assertThat(scrape.value("courier_circuit_state", Map.of("host", "b", "state", "half_open"))).isZero();

        engine.dispatchState(new DispatchState(List.of(), Map.of()));

        assertThat(Scrape.parse(metrics.scrape()).all()).noneMatch(metric ->
                metric.getName().startsWith("courier_rate_key_") || metric.getName().startsWith("courier_circuit_"));
    }

    @Test
    void keysAndHostsBeyondTheLabelBoundAreSummedUnderOtherWithTheLongestPause() {
        List<KeyStatus> keys = new ArrayList<>();
        Map<String, String> circuits = new LinkedHashMap<>();
        for (int i = 0; i < 10_000; i++) { // the keys keep their order; the hosts come in any
            keys.add(new KeyStatus("key-" + i, 2, 1, Duration.ofSeconds(i % 7), 1, i % 2));
            circuits.put("host-" + i, i % 10 == 0 ? "OPEN" : "CLOSED");
        }

        engine.dispatchState(new DispatchState(keys, circuits));
        Scrape scrape = Scrape.parse(metrics.scrape());

        assertThat(scrape.series("courier_rate_key_current", Map.of())).hasSize(4);
        Map<String, String> other = Map.of("key", "other");
        assertThat(scrape.value("courier_rate_key_configured", other)).isEqualTo(2 * 9_997);
        assertThat(scrape.value("courier_rate_key_current", other)).isEqualTo(9_997);
        assertThat(scrape.value("courier_rate_key_paused_seconds", other)).isEqualTo(6);
        assertThat(scrape.value("courier_rate_key_events", other)).isEqualTo(9_997);
        assertThat(scrape.value("courier_rate_key_parked", other)).isEqualTo(4_999);
        assertThat(scrape.series("courier_circuit_state", Map.of())).hasSize(4 * 3);
        assertThat(sum(scrape, Map.of("state", "open"))).isEqualTo(1_000);
        assertThat(sum(scrape, Map.of("state", "closed"))).isEqualTo(9_000);
        assertThat(sum(scrape, Map.of("host", "other"))).as("the hosts folded into other").isEqualTo(9_997);
    }

    private static double sum(Scrape scrape, Map<String, String> labels) {
        return scrape.series("courier_circuit_state", labels).stream()
                .mapToDouble(metric -> ((Gauge) metric).getValue()).sum();
    }
}
