package dev.courier.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.config.Settings;
import dev.courier.dispatch.DispatchState;
import dev.courier.dispatch.DispatchState.HostStatus;
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

    private static HostStatus host(String origin, double rate, Duration paused, String circuit, int waiting) {
        return new HostStatus(origin, rate, paused, circuit, waiting, Duration.ZERO);
    }

    @Test
    void publishesEachKeysBudgetAndEventsAndEachHostsRatePauseWaitingAndCircuit() {
        engine.dispatchState(new DispatchState(List.of(
                new KeyStatus("api.example.com", 100, 40, 7),
                new KeyStatus("mail.example.com", 0, 3, 0)),
                List.of(host("https://api.example.com:443", 25, Duration.ofMillis(2_500), "OPEN", 12),
                        host("https://mail.example.com:443", 0, Duration.ZERO, "CLOSED", 0))));

        Scrape scrape = Scrape.parse(metrics.scrape());

        Map<String, String> api = Map.of("key", "api.example.com");
        assertThat(scrape.value("courier_rate_key_configured", api)).isEqualTo(100);
        assertThat(scrape.value("courier_rate_key_events", api)).isEqualTo(40);
        assertThat(scrape.value("courier_rate_key_parked", api)).isEqualTo(7);
        Map<String, String> apiHost = Map.of("host", "https://api.example.com:443");
        Map<String, String> mailHost = Map.of("host", "https://mail.example.com:443");
        assertThat(scrape.value("courier_host_rate_current", apiHost)).isEqualTo(25);
        assertThat(scrape.value("courier_host_paused_seconds", apiHost)).isEqualTo(2.5);
        assertThat(scrape.value("courier_host_waiting", apiHost)).isEqualTo(12);
        assertThat(scrape.series("courier_host_rate_current", mailHost)).hasSize(1);
        assertThat(scrape.value("courier_host_rate_current", mailHost)).as("no limit is 0").isZero();
        assertThat(scrape.value("courier_circuit_state", Map.of("host", "https://api.example.com:443", "state",
                "open"))).isEqualTo(1);
        assertThat(scrape.value("courier_circuit_state", Map.of("host", "https://api.example.com:443", "state",
                "closed"))).isZero();
        assertThat(scrape.value("courier_circuit_state", Map.of("host", "https://api.example.com:443", "state",
                "half_open"))).isZero();
        assertThat(scrape.value("courier_circuit_state", Map.of("host", "https://mail.example.com:443", "state",
                "closed"))).isEqualTo(1);
    }

    @Test
    void aKeyOrHostTheDispatcherForgotLosesItsSeriesAndTheOthersKeepTheirNewValues() {
        engine.dispatchState(new DispatchState(List.of(new KeyStatus("a", 10, 1, 0), new KeyStatus("b", 20, 1, 0)),
                List.of(host("a", 10, Duration.ZERO, "CLOSED", 0), host("b", 20, Duration.ZERO, "HALF_OPEN", 0))));
        engine.dispatchState(new DispatchState(List.of(new KeyStatus("b", 20, 0, 0)),
                List.of(host("b", 5, Duration.ZERO, "CLOSED", 0))));

        Scrape scrape = Scrape.parse(metrics.scrape());

        assertThat(scrape.series("courier_rate_key_configured", Map.of())).hasSize(1);
        assertThat(scrape.series("courier_rate_key_parked", Map.of("key", "a"))).isEmpty();
        assertThat(scrape.series("courier_host_rate_current", Map.of("host", "a"))).isEmpty();
        assertThat(scrape.value("courier_host_rate_current", Map.of("host", "b"))).isEqualTo(5);
        assertThat(scrape.series("courier_circuit_state", Map.of("host", "a"))).isEmpty();
        assertThat(scrape.value("courier_circuit_state", Map.of("host", "b", "state", "closed"))).isEqualTo(1);
        assertThat(scrape.value("courier_circuit_state", Map.of("host", "b", "state", "half_open"))).isZero();

        engine.dispatchState(new DispatchState(List.of(), List.of()));

        assertThat(Scrape.parse(metrics.scrape()).all()).noneMatch(metric ->
                metric.getName().startsWith("courier_rate_key_") || metric.getName().startsWith("courier_circuit_")
                        || metric.getName().startsWith("courier_host_"));
    }

    @Test
    void keysAndHostsBeyondTheLabelBoundAreSummedUnderOtherWithTheLongestPause() {
        List<KeyStatus> keys = new ArrayList<>();
        List<HostStatus> hosts = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            keys.add(new KeyStatus("key-" + i, 2, 1, i % 2));
            hosts.add(host("host-" + i, 1, Duration.ofSeconds(i % 7), i % 10 == 0 ? "OPEN" : "CLOSED", 1));
        }

        engine.dispatchState(new DispatchState(keys, hosts));
        Scrape scrape = Scrape.parse(metrics.scrape());

        assertThat(scrape.series("courier_rate_key_configured", Map.of())).hasSize(4);
        Map<String, String> other = Map.of("key", "other");
        assertThat(scrape.value("courier_rate_key_configured", other)).isEqualTo(2 * 9_997);
        assertThat(scrape.value("courier_rate_key_events", other)).isEqualTo(9_997);
        assertThat(scrape.value("courier_rate_key_parked", other)).isEqualTo(4_999);
        Map<String, String> otherHost = Map.of("host", "other");
        assertThat(scrape.series("courier_host_rate_current", Map.of())).hasSize(4);
        assertThat(scrape.value("courier_host_rate_current", otherHost)).isEqualTo(9_997);
        assertThat(scrape.value("courier_host_paused_seconds", otherHost)).isEqualTo(6);
        assertThat(scrape.value("courier_host_waiting", otherHost)).isEqualTo(9_997);
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
