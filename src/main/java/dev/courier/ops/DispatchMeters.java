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
 * The dispatcher's per-key and per-host state as gauges: each rate-limit key's configured and current rate, pause
 * left, events and parked events ({@code courier_rate_key_*{key}}), and each host's circuit
 * ({@code courier_circuit_state{host,state}}). Keys and hosts are named as {@link LabelFolder}s allow; the rest are
 * summed under {@value LabelFolder#OTHER} (the longest pause for the pause gauge; for circuits, how many hosts are
 * in each state). A key or host missing from the latest state loses its series, so a key the dispatcher forgot is
 * not reported.
 *
 * <p>Each series reads a holder that {@link #publish} replaces, so a scrape never sees a series missing while the
 * values change. {@link #publish} is called from one thread at a time (it is synchronized); scrapes may read from
 * any thread.
 */
final class DispatchMeters {

    /** The circuit states always published for each host, as label values. */
    static final List<String> CIRCUIT_STATES = List.of("closed", "open", "half_open");

    /** One key label's values: a named key's own, or the folded keys' together. */
    private record KeyValues(double configured, double current, double pausedSeconds, long events, long parked) {

        static final KeyValues NONE = new KeyValues(0, 0, 0, 0, 0);

        KeyValues plus(DispatchState.KeyStatus key) {
            return new KeyValues(configured + key.configuredRate(), current + key.currentRate(),
                    Math.max(pausedSeconds, key.pausedFor().toNanos() / 1e9), events + key.events(),
                    parked + key.parked());
        }
    }

    private final LabelFolder keyLabels;
    private final LabelFolder hostLabels;
    private final MultiGauge configured;
    private final MultiGauge current;
    private final MultiGauge paused;
    private final MultiGauge events;
    private final MultiGauge parked;
    private final MultiGauge circuits;
    private final Map<String, AtomicReference<KeyValues>> keys = new HashMap<>();
    private final Map<Tags, AtomicReference<Long>> hosts = new HashMap<>();

    DispatchMeters(MeterRegistry registry, LabelFolder keyLabels, LabelFolder hostLabels) {
        this.keyLabels = keyLabels;
        this.hostLabels = hostLabels;
        this.configured = MultiGauge.builder("courier.rate.key.configured")
                .description("This instance's share of each rate-limit key's configured rate, per second (0: none)")
                .register(registry);
        this.current = MultiGauge.builder("courier.rate.key.current")
                .description("The rate each rate-limit key may make attempts at now, after adaptation, per second"
                        + " (0: no limit)")
                .register(registry);
        this.paused = MultiGauge.builder("courier.rate.key.paused").baseUnit("seconds")
                .description("How long each rate-limit key's pause (after Retry-After or a rate-limit field) still"
                        + " lasts")
                .register(registry);
        this.events = MultiGauge.builder("courier.rate.key.events")
                .description("Each rate-limit key's events in the dispatcher, parked ones included")
                .register(registry);
        this.parked = MultiGauge.builder("courier.rate.key.parked")
                .description("Each rate-limit key's events parked beyond courier.max-in-flight-per-key")
                .register(registry);
        this.circuits = MultiGauge.builder("courier.circuit.state")
                .description("Each host's circuit: 1 for its state, 0 for the others (other: how many hosts are in"
                        + " each state)")
                .register(registry);
    }

    /** Publishes {@code state}; series of keys and hosts it no longer has are removed. */
    synchronized void publish(DispatchState state) {
        Map<String, KeyValues> byLabel = new LinkedHashMap<>();
        for (DispatchState.KeyStatus key : state.keys()) {
            byLabel.merge(keyLabels.fold(key.key()), KeyValues.NONE.plus(key), (sum, ignored) -> sum.plus(key));
        }
        keys.keySet().retainAll(byLabel.keySet());
        byLabel.forEach((label, values) -> keys.computeIfAbsent(label, ignored -> new AtomicReference<>()).set(values));
        configured.register(keyRows(KeyValues::configured), false);
        current.register(keyRows(KeyValues::current), false);
        paused.register(keyRows(KeyValues::pausedSeconds), false);
        events.register(keyRows(KeyValues::events), false);
        parked.register(keyRows(KeyValues::parked), false);

        Map<Tags, Long> byHostAndState = new LinkedHashMap<>();
        state.circuits().forEach((host, circuitState) -> {
            String label = hostLabels.fold(host);
            for (String each : CIRCUIT_STATES) {
                byHostAndState.merge(Tags.of("host", label, "state", each), 0L, Long::sum);
            }
            byHostAndState.merge(Tags.of("host", label, "state", circuitState.toLowerCase(Locale.ROOT)), 1L,
                    Long::sum);
        });
        hosts.keySet().retainAll(byHostAndState.keySet());
        byHostAndState.forEach((tags, count) -> hosts.computeIfAbsent(tags, ignored -> new AtomicReference<>())
                .set(count));
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        hosts.forEach((tags, holder) -> rows.add(MultiGauge.Row.of(tags, holder, value -> value.get())));
        circuits.register(rows, false);
    }

    private List<MultiGauge.Row<?>> keyRows(ToDoubleFunction<KeyValues> value) {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        keys.forEach((label, holder) -> rows.add(MultiGauge.Row.of(Tags.of("key", label), holder,
                values -> value.applyAsDouble(values.get()))));
        return rows;
    }
}
