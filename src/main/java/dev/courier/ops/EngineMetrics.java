package dev.courier.ops;

import dev.courier.config.RateSettings;
import dev.courier.dispatch.DispatchState;
import dev.courier.dispatch.Dispatcher;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Courier's own metrics, named {@code courier_*} in Prometheus: what the engine does, recorded as the engine's
 * listener hears it (the calls here take plain values, so this package knows nothing of Kafka). docs/operations.md
 * lists each metric with its labels. Labels from events (hosts, rate-limit keys) are bounded by
 * {@code courier.metrics.max-hosts}; the rest are bounded by Courier's own enums and settings.
 *
 * <p>Thread-safe; every method returns at once.
 */
public final class EngineMetrics {

    /** The {@code kind} of an outcome. */
    public static final String RESULT = "result";
    public static final String DEAD_LETTER = "dead_letter";
    /** The {@code category} of a result, which has none. */
    static final String NO_CATEGORY = "none";
    /** The rate-limit key of the global bucket. */
    public static final String GLOBAL = "global";

    private static final Duration[] ATTEMPT_BUCKETS = seconds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
            10, 30, 60);
    private static final Duration[] EVENT_BUCKETS = seconds(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300,
            900, 3600);
    private static final Duration[] WAIT_BUCKETS = seconds(0.001, 0.01, 0.1, 0.5, 1, 5, 10, 60);

    /** One partition's lag, for {@link #lag}. */
    public record PartitionLag(String topic, int partition, long lag) {
    }

    /**
     * What the summary line reports.
     *
     * @param consumed    events taken from Kafka since start
     * @param results     results published since start
     * @param deadLetters dead letters published since start, by category
     * @param inFlight    events in flight now
     * @param lag         records behind the fetch position, summed over the partitions; -1 when not known yet
     */
    public record Totals(long consumed, long results, SortedMap<String, Long> deadLetters, long inFlight, long lag) {

        public long deadLetterCount() {
            return deadLetters.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private final MeterRegistry registry;
    private final LabelFolder hosts;
    private final LabelFolder keys;
    private final Counter consumed;
    private final Counter retries;
    private final Counter aborts;
    private final Timer commits;
    private final Map<String, Counter> attempts = new ConcurrentHashMap<>();
    private final Map<String, Timer> attemptTimes = new ConcurrentHashMap<>();
    private final Map<String, Counter> outcomes = new ConcurrentHashMap<>();
    private final Map<String, Timer> eventTimes = new ConcurrentHashMap<>();
    private final Map<String, Timer> waits = new ConcurrentHashMap<>();
    private final MultiGauge lagGauge;
    private final DispatchMeters dispatch;
    private volatile DispatchState lastState;
    private volatile int assigned;
    private volatile int paused;
    private volatile long inFlight;
    private volatile long lagTotal = -1;
    /** The lag gauge's value holders, by partition; replaced when the partitions change. */
    private Map<LagKey, AtomicLong> lagHolders = new HashMap<>();

    /**
     * @param maxLabels {@code courier.metrics.max-hosts}: distinct hosts, and distinct rate-limit keys, named in labels
     * @param rates     the configured rate limits, published as {@code courier_rate_limit_configured}
     */
    public EngineMetrics(MeterRegistry registry, int maxLabels, RateSettings rates) {
        this.registry = registry;
        this.hosts = new LabelFolder(maxLabels);
        this.keys = new LabelFolder(maxLabels);
        this.consumed = Counter.builder("courier.events.consumed")
                .description("Request records taken from Kafka (events and records that are not events)")
                .register(registry);
        this.retries = Counter.builder("courier.retries.scheduled")
                .description("Retries scheduled: attempts that failed in a retriable way and will be made again")
                .register(registry);
        this.aborts = Counter.builder("courier.transactions.aborted")
                .description("Transactions aborted because their commit failed (exactly-once); their events are redone")
                .register(registry);
        this.commits = Timer.builder("courier.commit.duration")
                .description("How long each commit of offsets (exactly-once: of the transaction) blocked intake")
                .serviceLevelObjectives(seconds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5))
                .register(registry);
        Gauge.builder("courier.events.in.flight", this, metrics -> metrics.inFlight)
                .description("Events taken and not yet finished (courier.max-in-flight bounds them)")
                .register(registry);
        Gauge.builder("courier.partitions.assigned", this, metrics -> metrics.assigned)
                .description("Partitions of the requests topic assigned to this instance").register(registry);
        Gauge.builder("courier.partitions.paused", this, metrics -> metrics.paused)
                .description("Assigned partitions paused by flow control").register(registry);
        this.lagGauge = MultiGauge.builder("courier.consumer.lag")
                .description("Records behind the fetch position, per assigned partition").register(registry);
        this.dispatch = new DispatchMeters(registry, keys, new LabelFolder(maxLabels));
        rateGauge(GLOBAL, rates.global());
        rateGauge("per-key", rates.perKey());
        rates.overrides().forEach(this::rateGauge);
    }

    private void rateGauge(String key, double rate) {
        Gauge.builder("courier.rate.limit.configured", () -> rate).tags("key", key)
                .description("Configured attempts per second of each rate limit (0: none): global, per-key (the"
                        + " default of each key), and each override or named target")
                .register(registry);
    }

    /**
     * Publishes the dispatcher's waiting events as {@code courier_events_waiting{reason}}; once, when the engine has
     * started.
     */
    public void watch(Supplier<Dispatcher.Waiting> waiting) {
        waitingGauge("key", () -> waiting.get().key());
        waitingGauge("parked", () -> waiting.get().parked());
        waitingGauge("circuit", () -> waiting.get().circuit());
        waitingGauge("token", () -> waiting.get().token());
        waitingGauge("host", () -> waiting.get().host());
        waitingGauge("worker", () -> waiting.get().worker());
        waitingGauge("retry", () -> waiting.get().retry());
        Gauge.builder("courier.events.calling", () -> waiting.get().calling())
                .description("Events with a worker: in an HTTP call, or having their outcome delivered")
                .register(registry);
    }

    /**
     * Publishes the dispatcher's state, asked for every {@link StateSampler#EVERY}, as the per-key gauges
     * ({@code courier_rate_key_*{key}}), the per-host ones ({@code courier_host_*{host}}) and the circuits
     * ({@code courier_circuit_state{host,state}}); once, when the engine has started. Closing what it returns stops
     * the asking.
     */
    public StateSampler watchState(Supplier<CompletableFuture<DispatchState>> state) {
        return StateSampler.start(StateSampler.EVERY, state, this::dispatchState);
    }

    /** The dispatcher's state now: keys and hosts it does not list lose their series. */
    public void dispatchState(DispatchState state) {
        lastState = state;
        dispatch.publish(state);
    }

    /** The dispatcher's state as last published, or null before the first; for the health check. Any thread. */
    public DispatchState lastDispatchState() {
        return lastState;
    }

    private void waitingGauge(String reason, Supplier<Number> value) {
        Gauge.builder("courier.events.waiting", value).tags("reason", reason)
                .description("Events in the dispatcher waiting: for their key's turn, a place among their"
                        + " rate-limit key's events (parked), their host's open circuit, a rate-limit token or the end"
                        + " of their host's pause, a host's call slot, a worker, or the delay before a retry")
                .register(registry);
    }

    /** A record was taken from Kafka. */
    public void consumed() {
        consumed.increment();
    }

    /**
     * An HTTP attempt ended.
     *
     * @param statusClass {@code 2xx} and so on for a response; for no response, the failure's kind
     *                    ({@code not_sent}, {@code maybe_delivered}, {@code invalid}, {@code refused_by_policy})
     */
    public void attempt(String host, String statusClass, Duration latency) {
        String label = hosts.fold(host == null ? "none" : host);
        attempts.computeIfAbsent(label + '\n' + statusClass, ignored -> Counter.builder("courier.http.attempts")
                .description("HTTP attempts, retries included, by host and status class")
                .tags("host", label, "status_class", statusClass).register(registry)).increment();
        attemptTimes.computeIfAbsent(label, ignored -> Timer.builder("courier.http.attempt.duration")
                .description("Duration of each HTTP attempt, by host")
                .tags("host", label).serviceLevelObjectives(ATTEMPT_BUCKETS).register(registry))
                .record(latency);
    }

    /**
     * An outcome became visible to readers.
     *
     * @param kind      {@link #RESULT} or {@link #DEAD_LETTER}
     * @param category  the dead letter's category; null for a result
     * @param endToEnd  from the request record's timestamp to now; null when the record has none
     */
    public void outcome(String kind, String category, Duration endToEnd) {
        String label = category == null ? NO_CATEGORY : category;
        outcomes.computeIfAbsent(kind + '\n' + label, ignored -> Counter.builder("courier.outcomes")
                .description("Outcomes published (visible to read_committed readers), by kind and category")
                .tags("kind", kind, "category", label).register(registry)).increment();
        if (endToEnd != null) {
            eventTimes.computeIfAbsent(kind, ignored -> Timer.builder("courier.event.duration")
                    .description("From the request record's timestamp to its outcome being published, by kind")
                    .tags("kind", kind).serviceLevelObjectives(EVENT_BUCKETS).register(registry))
                    .record(endToEnd.isNegative() ? Duration.ZERO : endToEnd);
        }
    }

    /** A retry was scheduled. */
    public void retryScheduled() {
        retries.increment();
    }

    /** An attempt waited {@code waited} for a token of rate-limit key {@code key} ({@link #GLOBAL} for the global one). */
    public void rateLimited(String key, Duration waited) {
        String label = GLOBAL.equals(key) ? GLOBAL : keys.fold(key);
        waits.computeIfAbsent(label, ignored -> Timer.builder("courier.rate.limit.wait")
                .description("Attempts that waited for a rate-limit token (count) and how long, by rate-limit key")
                .tags("key", label).serviceLevelObjectives(WAIT_BUCKETS).register(registry)).record(waited);
    }

    /** A commit returned after blocking intake for {@code took}. */
    public void committed(Duration took) {
        commits.record(took);
    }

    /** A transaction was aborted because its commit failed. */
    public void transactionAborted() {
        aborts.increment();
    }

    /** What intake saw at its last sample. */
    public void intake(int assigned, int paused, long inFlight) {
        this.assigned = assigned;
        this.paused = paused;
        this.inFlight = inFlight;
    }

    /**
     * The lag of each assigned partition whose lag is known; partitions not listed lose their series. The series are
     * registered again only when the partitions change: each sample otherwise only sets their values, so an
     * instance with hundreds of partitions pays for what changed, not for every partition each second.
     */
    public synchronized void lag(List<PartitionLag> partitions) {
        long total = 0;
        boolean same = partitions.size() == lagHolders.size();
        for (PartitionLag partition : partitions) {
            same &= lagHolders.containsKey(new LagKey(partition.topic(), partition.partition()));
            total += partition.lag();
        }
        if (!same) {
            Map<LagKey, AtomicLong> holders = new HashMap<>();
            List<MultiGauge.Row<?>> rows = new ArrayList<>();
            for (PartitionLag partition : partitions) {
                LagKey key = new LagKey(partition.topic(), partition.partition());
                AtomicLong holder = lagHolders.getOrDefault(key, new AtomicLong());
                holders.put(key, holder);
                rows.add(MultiGauge.Row.of(Tags.of("topic", key.topic(), "partition",
                        Integer.toString(key.partition())), holder, AtomicLong::get));
            }
            lagHolders = holders;
            lagGauge.register(rows, true);
        }
        for (PartitionLag partition : partitions) {
            lagHolders.get(new LagKey(partition.topic(), partition.partition())).set(partition.lag());
        }
        lagTotal = total;
    }

    private record LagKey(String topic, int partition) {
    }

    /** The counts the summary line reports. */
    public Totals totals() {
        long results = 0;
        SortedMap<String, Long> deadLetters = new TreeMap<>();
        for (Map.Entry<String, Counter> entry : outcomes.entrySet()) {
            String[] kindAndCategory = entry.getKey().split("\n", 2);
            long count = (long) entry.getValue().count();
            if (kindAndCategory[0].equals(RESULT)) {
                results += count;
            } else {
                deadLetters.merge(kindAndCategory[1], count, Long::sum);
            }
        }
        return new Totals((long) consumed.count(), results, deadLetters, inFlight, lagTotal);
    }

    private static Duration[] seconds(double... values) {
        Duration[] durations = new Duration[values.length];
        for (int i = 0; i < values.length; i++) {
            durations[i] = Duration.ofNanos((long) (values[i] * TimeUnit.SECONDS.toNanos(1)));
        }
        return durations;
    }
}
