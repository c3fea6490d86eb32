package dev.courier.ops;

import dev.courier.dispatch.DispatchState;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToDoubleFunction;

/**
 * The dispatcher's per-key and per-host state as gauges: each rate-limit key's configured rate, events and parked
 * events ({@code courier_rate_key_*{key}}), and each host's adaptive rate, pause left, events waiting at it and
 * circuit ({@code courier_host_*{host}}, {@code courier_circuit_state{host,state}}). Keys and hosts are named as
 * {@link LabelFolder}s allow; the rest are summed under {@value LabelFolder#OTHER} (the longest pause for the pause
 * gauge; for circuits, how many hosts are in each state). A key or host missing from the latest state loses its
 * series, so one the dispatcher forgot is not reported.
 *
 * <p>Each series reads a holder that {@link #publish} replaces, so a scrape never sees a series missing while the
 * values change. {@link #publish} is called from one thread at a time (it is synchronized); scrapes may read from
 * any thread.
 */
final class DispatchMeters {

    /** The circuit states always published for each host, as label values. */
    static final List<String> CIRCUIT_STATES = List.of("closed", "open", "half_open");

    /** One key label's values: a named key's own, or the folded keys' together. */
    private record KeyValues(double configured, long events, long parked) {

        static final KeyValues NONE = new KeyValues(0, 0, 0);

        KeyValues plus(DispatchState.KeyStatus key) {
            return new KeyValues(configured + key.configuredRate(), events + key.events(), parked + key.parked());
        }
    }

    /** One host label's values: a named host's own, or the folded hosts' together. */
    private record HostValues(double rate, double pausedSeconds, long waiting) {

        static final HostValues NONE = new HostValues(0, 0, 0);

        HostValues plus(DispatchState.HostStatus host) {
            return new HostValues(rate + host.currentRate(), Math.max(pausedSeconds, host.pausedFor().toNanos() / 1e9),
                    waiting + host.waiting());
        }
    }

    private final LabelFolder keyLabels;
    private final LabelFolder hostLabels;
    private final MultiGauge configured;
    private final MultiGauge events;
    private final MultiGauge parked;
    private final MultiGauge hostRate;
    private final MultiGauge hostPaused;
    private final MultiGauge hostWaiting;
    private final MultiGauge circuits;
    private final Map<String, AtomicReference<KeyValues>> keys = new HashMap<>();
    private final Map<String, AtomicReference<HostValues>> hosts = new HashMap<>();
    private final Map<Tags, AtomicReference<Long>> circuitRows = new HashMap<>();

    DispatchMeters(MeterRegistry registry, LabelFolder keyLabels, LabelFolder hostLabels) {
        this.keyLabels = keyLabels;
        this.hostLabels = hostLabels;
        this.configured = MultiGauge.builder("courier.rate.key.configured")
                .description("This instance's share of each rate-limit key's configured rate, per second (0: none)")
                .register(registry);
        this.events = MultiGauge.builder("courier.rate.key.events")
                .description("Each rate-limit key's events in the dispatcher, parked ones included")
                .register(registry);
        this.parked = MultiGauge.builder("courier.rate.key.parked")
                .description("Each rate-limit key's events parked beyond courier.max-in-flight-per-key")
                .register(registry);
        this.hostRate = MultiGauge.builder("courier.host.rate.current")
                .description("The rate each host may be called at now after adapting to its answers, per second"
                        + " (0: no limit of its own)")
                .register(registry);
        this.hostPaused = MultiGauge.builder("courier.host.paused").baseUnit("seconds")
                .description("How long each host's pause (after Retry-After or a rate-limit field) still lasts")
                .register(registry);
        this.hostWaiting = MultiGauge.builder("courier.host.waiting")
                .description("Each host's events waiting for its circuit, its pause or its adaptive rate")
                .register(registry);
        this.circuits = MultiGauge.builder("courier.circuit.state")
                .description("Each host's circuit: 1 for its state, 0 for the others (other: how many hosts are in"
                        + " each state)")
                .register(registry);
    }

    /** Publishes {@code state}; series of keys and hosts it no longer has are removed. */
    synchronized void publish(DispatchState state) {
        Map<String, KeyValues> byKey = new LinkedHashMap<>();
        for (DispatchState.KeyStatus key : state.keys()) {
            byKey.merge(keyLabels.fold(key.key()), KeyValues.NONE.plus(key), (sum, ignored) -> sum.plus(key));
        }
        keys.keySet().retainAll(byKey.keySet());
        byKey.forEach((label, values) -> keys.computeIfAbsent(label, ignored -> new AtomicReference<>()).set(values));
        configured.register(rows(keys, "key", KeyValues::configured), false);
        events.register(rows(keys, "key", KeyValues::events), false);
        parked.register(rows(keys, "key", KeyValues::parked), false);

        Map<String, HostValues> byHost = new LinkedHashMap<>();
        Map<Tags, Long> byHostAndState = new LinkedHashMap<>();
        for (DispatchState.HostStatus host : state.hosts()) {
            String label = hostLabels.fold(host.host());
            byHost.merge(label, HostValues.NONE.plus(host), (sum, ignored) -> sum.plus(host));
            for (String each : CIRCUIT_STATES) {
                byHostAndState.merge(Tags.of("host", label, "state", each), 0L, Long::sum);
            }
            byHostAndState.merge(Tags.of("host", label, "state", host.circuit().toLowerCase(Locale.ROOT)), 1L,
                    Long::sum);
        }
        hosts.keySet().retainAll(byHost.keySet());
        byHost.forEach((label, values) -> hosts.computeIfAbsent(label, ignored -> new AtomicReference<>())
                .set(values));
        hostRate.register(rows(hosts, "host", HostValues::rate), false);
        hostPaused.register(rows(hosts, "host", HostValues::pausedSeconds), false);
        hostWaiting.register(rows(hosts, "host", HostValues::waiting), false);

        circuitRows.keySet().retainAll(byHostAndState.keySet());
        byHostAndState.forEach((tags, count) -> circuitRows.computeIfAbsent(tags, ignored -> new AtomicReference<>())
                .set(count));
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        circuitRows.forEach((tags, holder) -> rows.add(MultiGauge.Row.of(tags, holder, value -> value.get())));
        circuits.register(rows, false);
    }

    private static <V> List<MultiGauge.Row<?>> rows(Map<String, AtomicReference<V>> holders, String label,
            ToDoubleFunction<V> value) {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        holders.forEach((name, holder) -> rows.add(MultiGauge.Row.of(Tags.of(label, name), holder,
                values -> value.applyAsDouble(values.get()))));
        return rows;
    }
}
