package dev.courier.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Gauge;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the registry keeps of what binders register. */
class MetricsTest {

    private final Metrics metrics = new Metrics();

    @AfterEach
    void close() {
        metrics.close();
    }

    @Test
    void theKafkaConsumersPerPartitionSeriesAreLeftOutAndItsOthersKept() {
        Gauge.builder("kafka.consumer.fetch.manager.records.lag", () -> 5).tags("topic", "requests", "partition", "3")
                .register(metrics.registry());
        Gauge.builder("kafka.consumer.fetch.manager.records.lag.max", () -> 5).register(metrics.registry());

        Scrape scrape = Scrape.parse(metrics.scrape());

        assertThat(scrape.series("kafka_consumer_fetch_manager_records_lag", Map.of())).isEmpty();
        assertThat(scrape.series("kafka_consumer_fetch_manager_records_lag_max", Map.of())).hasSize(1);
    }
}
