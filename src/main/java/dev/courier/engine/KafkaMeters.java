package dev.courier.engine;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;

/**
 * Binds the engine's Kafka clients' own metrics (fetch lag, request latency, record errors, buffer use, and the
 * rest) to a Micrometer registry, as {@code kafka_consumer_*} and {@code kafka_producer_*}, through Micrometer's
 * Kafka binder. Without a registry it binds nothing. Thread-safe.
 */
final class KafkaMeters implements AutoCloseable {

    private final MeterRegistry registry;
    private final List<KafkaClientMetrics> bound = new ArrayList<>();
    private KafkaClientMetrics producerMetrics;

    /** @param registry where the clients' metrics go; null for nowhere */
    KafkaMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Binds {@code consumer}'s metrics and returns it. */
    synchronized <C extends Consumer<?, ?>> C consumer(C consumer) {
        if (registry != null) {
            KafkaClientMetrics metrics = new KafkaClientMetrics(consumer);
            metrics.bindTo(registry);
            bound.add(metrics);
        }
        return consumer;
    }

    /**
     * Binds {@code producer}'s metrics and returns it; the producer made before (which a new one replaces, as the
     * transactional publisher does after a failure) is unbound.
     */
    synchronized <P extends Producer<?, ?>> P producer(P producer) {
        if (registry != null) {
            if (producerMetrics != null) {
                producerMetrics.close();
                bound.remove(producerMetrics);
            }
            producerMetrics = new KafkaClientMetrics(producer);
            producerMetrics.bindTo(registry);
            bound.add(producerMetrics);
        }
        return producer;
    }

    @Override
    public synchronized void close() {
        bound.forEach(KafkaClientMetrics::close);
        bound.clear();
        producerMetrics = null;
    }
}
