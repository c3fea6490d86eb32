package dev.courier.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.courier.http.HostResolver;
import dev.courier.model.Redactor;
import dev.courier.model.RequestSpec;
import dev.courier.ops.DeadLetterLog;
import dev.courier.ops.EngineMetrics;
import dev.courier.ops.Logging;
import dev.courier.ops.Metrics;
import dev.courier.ops.Scrape;
import dev.courier.testkit.Closing;
import dev.courier.testkit.EventTarget;
import dev.courier.testkit.TestSandbox;
import dev.courier.testkit.WithSandbox;
import io.skodjob.testframe.metrics.Histogram;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The metrics and logs of a known workload through the real engine and broker: the scrape parses, its counters have
 * the exact values and its histograms the right counts, and the JSON log lines parse, carry the events' ids and never
 * the secret an event's header carried.
 */
@WithSandbox
@Timeout(120)
class ObservabilityIT {

    private static final String CANARY = "canary-secret-7f3a9c";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TestSandbox sandbox;
    @AutoClose
    private final Closing closing = new Closing();

    ObservabilityIT(TestSandbox sandbox) {
        this.sandbox = sandbox;
    }

    @Test
    void aKnownWorkloadGivesExactCountersHistogramCountsAndJsonLogLinesWithTheIds() throws Exception {
        EventTarget target = closing.add(new EventTarget((id, call) -> id.startsWith("missing") ? EventTarget.status(404)
                : id.startsWith("flaky") && call == 1 ? EventTarget.status(503) : EventTarget.status(200)));
        EngineHarness harness = closing.add(new EngineHarness(sandbox, 1, Map.of("courier.rate.per-key", "1000")));
        List<String> ids = new ArrayList<>();
        for (String prefix : List.of("ok-1", "ok-2", "ok-3", "ok-4", "ok-5", "missing-1", "missing-2", "flaky-1",
                "flaky-2")) {
            ids.add(prefix);
            harness.send("k-" + prefix, withSecretHeader(prefix, target.url(prefix)));
        }
        harness.sendRaw("poison".getBytes(StandardCharsets.UTF_8), "not an event".getBytes(StandardCharsets.UTF_8));
        Metrics metrics = closing.add(new Metrics());
        EngineMetrics engineMetrics = new EngineMetrics(metrics.registry(), 100, harness.settings().rate());
        EngineObserver observer = new EngineObserver(engineMetrics, new DeadLetterLog(), Redactor.defaults(),
                Clock.systemUTC(), System::nanoTime);
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        Map<String, String> targetKey = Map.of("key", URI.create(target.url("any")).getHost());
        String scraped;

        try (AutoCloseable json = Logging.jsonTo(logs)) {
            Engine engine = closing.add(Engine.start(harness.settings(), observer, HostResolver.SYSTEM,
                    metrics.registry()));
            engineMetrics.watch(() -> engine.dispatcher().waiting());
            closing.add(engineMetrics.watchState(() -> engine.dispatcher().state()));
            harness.awaitEvery(ids, Duration.ofSeconds(60));
            await("every outcome counted").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                    .until(() -> engineMetrics.totals().results() + engineMetrics.totals().deadLetterCount() == 10);
            await("the target's rate-limit key in the scrape").atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> Scrape.parse(metrics.scrape()).value("courier_rate_key_configured", targetKey) > 0);
            scraped = metrics.scrape(); // before the close, which takes the Kafka clients' metrics away with them
            engine.close();
        }
        Scrape scrape = Scrape.parse(scraped);

        assertThat(scrape.value("courier_events_consumed_total", Map.of())).isEqualTo(10);
        assertThat(scrape.value("courier_outcomes_total", Map.of("kind", "result"))).isEqualTo(7);
        assertThat(scrape.value("courier_outcomes_total", Map.of("kind", "dead_letter", "category",
                "HTTP_CLIENT_ERROR"))).isEqualTo(2);
        assertThat(scrape.value("courier_outcomes_total", Map.of("kind", "dead_letter", "category", "UNDECODABLE")))
                .isEqualTo(1);
        assertThat(scrape.value("courier_http_attempts_total", Map.of("status_class", "2xx")))
                .isEqualTo(7);
        assertThat(scrape.value("courier_http_attempts_total", Map.of("status_class", "4xx"))).isEqualTo(2);
        assertThat(scrape.value("courier_http_attempts_total", Map.of("status_class", "5xx"))).isEqualTo(2);
        assertThat(scrape.value("courier_retries_scheduled_total", Map.of())).isEqualTo(2);
        Histogram attempts = scrape.histogram("courier_http_attempt_duration_seconds", Map.of());
        assertThat(attempts.getCount()).isEqualTo(11);
        assertThat(scrape.histogram("courier_event_duration_seconds", Map.of("kind", "result")).getCount())
                .isEqualTo(7);
        assertThat(scrape.histogram("courier_event_duration_seconds", Map.of("kind", "dead_letter")).getCount())
                .isEqualTo(3);
        assertThat(scrape.histogram("courier_commit_duration_seconds", Map.of()).getCount()).isPositive();
        assertThat(scrape.value("courier_partitions_assigned", Map.of())).isEqualTo(1);
        assertThat(scrape.value("courier_rate_key_configured", targetKey)).as("the one partition's share of 1000/s")
                .isEqualTo(1000);
        assertThat(scrape.series("courier_host_rate_current", Map.of())).as("the target's host, adapted or not")
                .isNotEmpty();
        assertThat(scrape.series("kafka_consumer_fetch_manager_records_consumed_total", Map.of())).isNotEmpty();
        assertThat(scrape.series("kafka_producer_record_send_total", Map.of())).isNotEmpty();

        String text = logs.toString(StandardCharsets.UTF_8);
        assertThat(text).as("the JSON log lines").isNotBlank().doesNotContain(CANARY);
        List<JsonNode> lines = new ArrayList<>();
        for (String line : text.split("\n")) {
            lines.add(JSON.readTree(line));
        }
        List<JsonNode> deadLetters = lines.stream()
                .filter(line -> line.path("message").asText().startsWith("Dead letter ")).toList();
        assertThat(deadLetters).hasSize(3);
        assertThat(deadLetters).filteredOn(line -> line.has("requestId"))
                .extracting(line -> line.get("requestId").asText() + "/" + line.get("correlationId").asText())
                .containsExactlyInAnyOrder("missing-1/corr-missing-1", "missing-2/corr-missing-2");
        assertThat(deadLetters).allSatisfy(line -> {
            assertThat(line.get("level").asText()).isEqualTo("WARN");
            assertThat(line.has("@timestamp")).isTrue();
        });
    }

    /** A GET of {@code url} whose event carries a secret in its Authorization header. */
    private static RequestSpec withSecretHeader(String id, String url) {
        return new RequestSpec(id, "GET", url, null, null, Map.of("Authorization", "Bearer " + CANARY), null, null,
                null, null, null, null, "corr-" + id, null, Map.of());
    }
}
