package dev.courier.ops;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;

/**
 * The process's metrics registry in Prometheus form, with the JVM's and the process's own metrics bound
 * (Micrometer's binders: memory, garbage collection, threads, class loading, CPU, file descriptors, uptime), served
 * at {@code /metrics}. Thread-safe; {@link #close} unbinds what needs it.
 */
public final class Metrics implements AutoCloseable {

    /** The media type of the Prometheus text format this serves. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();

    public Metrics() {
        // The consumer's per-partition metrics (records-lag, -lead and their averages, for every assigned partition)
        // are thousands of series at hundreds of partitions, each bound again at every rebalance; the lag per
        // partition is courier_consumer_lag.
        registry.config().meterFilter(MeterFilter.deny(id -> id.getName().startsWith("kafka.consumer.fetch.manager.")
                && id.getTag("partition") != null));
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /** Where Courier's meters, and the Kafka clients' (bound by the engine), are registered. */
    public MeterRegistry registry() {
        return registry;
    }

    /** Every metric now, in the Prometheus text format (version 0.0.4). */
    public String scrape() {
        return registry.scrape();
    }

    /** Registers {@code /metrics} on {@code server}, behind the admin token when one is set. */
    public void serveOn(AdminServer server) {
        server.route("/metrics", AdminServer.Access.TOKEN,
                path -> new AdminResponse(200, CONTENT_TYPE, scrape().getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
