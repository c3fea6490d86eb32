package dev.courier.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.config.Settings;
import io.micrometer.core.instrument.Counter;
import io.skodjob.testframe.metrics.Histogram;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EngineMetricsTest {

    private final Metrics metrics = new Metrics();
    private final EngineMetrics engine = new EngineMetrics(metrics.registry(), 100, Settings.defaults().rate());

    @AfterEach
    void close() {
        metrics.close();
    }

    @Test
    void hostLabelsStayBoundedWithTenThousandHosts() {
        for (int i = 0; i < 10_000; i++) {
            engine.attempt("host-" + i + ".example.com", "2xx", Duration.ofMillis(5));
            engine.rateLimited("key-" + i, Duration.ofMillis(1));
        }

        Scrape scrape = Scrape.parse(metrics.scrape());

        assertThat(scrape.series("courier_http_attempts_total", Map.of())).hasSize(101);
        assertThat(scrape.value("courier_http_attempts_total", Map.of("host", "other"))).isEqualTo(9_900);
        assertThat(scrape.value("courier_http_attempts_total", Map.of("host", "host-0.example.com"))).isEqualTo(1);
        assertThat(scrape.series("courier_http_attempt_duration_seconds_bucket", Map.of())).hasSize(101);
        assertThat(scrape.series("courier_rate_limit_wait_seconds_bucket", Map.of())).hasSize(101);
        assertThat(metrics.registry().getMeters()).hasSizeLessThan(500);
    }

    @Test
    void countsOutcomesByKindAndCategoryAndTimesThemEndToEnd() {
        engine.consumed();
        engine.consumed();
        engine.consumed();
        engine.outcome(EngineMetrics.RESULT, null, Duration.ofMillis(30));
        engine.outcome(EngineMetrics.DEAD_LETTER, "HTTP_CLIENT_ERROR", Duration.ofMillis(700));
        engine.outcome(EngineMetrics.DEAD_LETTER, "UNDECODABLE", null);
        engine.retryScheduled();

        Scrape scrape = Scrape.parse(metrics.scrape());

        assertThat(scrape.value("courier_events_consumed_total", Map.of())).isEqualTo(3);
        assertThat(scrape.value("courier_outcomes_total", Map.of("kind", "result", "category", "none"))).isEqualTo(1);
        assertThat(scrape.value("courier_outcomes_total", Map.of("kind", "dead_letter", "category",
                "HTTP_CLIENT_ERROR"))).isEqualTo(1);
        assertThat(scrape.value("courier_retries_scheduled_total", Map.of())).isEqualTo(1);
        Histogram deadLetters = scrape.histogram("courier_event_duration_seconds", Map.of("kind", "dead_letter"));
        assertThat(deadLetters.getCount()).isEqualTo(1);
        assertThat(deadLetters.getBuckets()).containsEntry(0.5, 0.0).containsEntry(1.0, 1.0);
        EngineMetrics.Totals totals = engine.totals();
        assertThat(totals.consumed()).isEqualTo(3);
        assertThat(totals.results()).isEqualTo(1);
        assertThat(totals.deadLetters()).containsExactly(Map.entry("HTTP_CLIENT_ERROR", 1L),
                Map.entry("UNDECODABLE", 1L));
    }

    @Test
    void publishesLagPerPartitionAndDropsPartitionsNoLongerAssigned() {
        engine.lag(List.of(new EngineMetrics.PartitionLag("requests", 0, 12),
                new EngineMetrics.PartitionLag("requests", 1, 3)));
        engine.lag(List.of(new EngineMetrics.PartitionLag("requests", 1, 5)));

        Scrape scrape = Scrape.parse(metrics.scrape());

        assertThat(scrape.series("courier_consumer_lag", Map.of())).hasSize(1);
        assertThat(scrape.value("courier_consumer_lag", Map.of("partition", "1"))).isEqualTo(5);
        assertThat(engine.totals().lag()).isEqualTo(5);
    }

    @Test
    void aNewSampleOfTheSamePartitionsUpdatesTheirLag() {
        engine.lag(List.of(new EngineMetrics.PartitionLag("requests", 0, 12),
                new EngineMetrics.PartitionLag("requests", 1, 3)));
        engine.lag(List.of(new EngineMetrics.PartitionLag("requests", 0, 7),
                new EngineMetrics.PartitionLag("requests", 1, 0)));

        Scrape scrape = Scrape.parse(metrics.scrape());

        assertThat(scrape.series("courier_consumer_lag", Map.of())).hasSize(2);
        assertThat(scrape.value("courier_consumer_lag", Map.of("partition", "0"))).isEqualTo(7);
        assertThat(scrape.value("courier_consumer_lag", Map.of("partition", "1"))).isZero();
        assertThat(engine.totals().lag()).isEqualTo(7);
    }

    @Test
    void theScrapeHasTheJvmMetricsAndTheConfiguredRates() {
        Scrape scrape = Scrape.parse(metrics.scrape());

        assertThat(scrape.series("jvm_memory_used_bytes", Map.of())).isNotEmpty();
        assertThat(scrape.value("courier_rate_limit_configured", Map.of("key", "global"))).isZero();
        assertThat(metrics.registry().find("courier.events.consumed").meter()).isInstanceOf(Counter.class);
    }
}
