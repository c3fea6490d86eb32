package dev.courier.engine;

import dev.courier.config.Settings;
import dev.courier.dispatch.DispatchState;
import dev.courier.ops.Health;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The checks of {@code courier run}'s health probes, read from the engine and what its {@link EngineObserver}
 * heard. docs/operations.md says what fails each.
 *
 * <ul>
 *   <li>live {@code intake}: the intake thread runs and its loop turned within {@link #intakeStallBound}, which is
 *       well above the longest bounded blocking step (a revocation's drain with its commits, a registry lookup).</li>
 *   <li>live {@code dispatcher}: the dispatch thread runs the tasks given to it within {@link #DISPATCH_STALL}.</li>
 *   <li>ready {@code intake}: the engine runs and is not stopping.</li>
 *   <li>ready {@code group}: a member of the consumer group, whose coordinator answered a heartbeat within the
 *       session timeout.</li>
 *   <li>ready {@code publisher}: publishing (and, in exactly-once mode, each step of the transactions) has not been
 *       failing for longer than {@link #publishStallBound}.</li>
 *   <li>ready {@code kafka}: the cluster answers ({@link KafkaProbe}).</li>
 *   <li>ready {@code registry}: the schema registry answers ({@link RegistryProbe}).</li>
 *   <li>ready {@code circuits}: never fails; names each host whose circuit is open, how long since it opened and
 *       how many events wait for it ({@link #circuits}).</li>
 * </ul>
 */
final class EngineHealth {

    /** How long the dispatch thread may leave a task unrun before the process counts as wedged. */
    static final Duration DISPATCH_STALL = Duration.ofSeconds(10);
    private static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(10);

    private EngineHealth() {
    }

    /**
     * The longest the intake loop may go without turning before the process counts as wedged: twice the longest
     * stretch of bounded blocking steps (the drain of a revocation, or a registry lookup with its repeats, plus two
     * commits and 5 s), and at least a minute: 60 s with the defaults.
     */
    static Duration intakeStallBound(Settings settings) {
        Duration registry = settings.registry().timeout().plusSeconds(1);
        Duration drain = settings.dispatch().drainTimeout();
        Duration longest = (drain.compareTo(registry) >= 0 ? drain : registry)
                .plus(settings.dispatch().commitTimeout().multipliedBy(2)).plusSeconds(5);
        Duration bound = longest.multipliedBy(2);
        return bound.compareTo(Duration.ofMinutes(1)) >= 0 ? bound : Duration.ofMinutes(1);
    }

    /** How long publishing may keep failing before the instance is not ready: twice the commit timeout, at least 10 s. */
    static Duration publishStallBound(Settings settings) {
        Duration bound = settings.dispatch().commitTimeout().multipliedBy(2);
        return bound.compareTo(Duration.ofSeconds(10)) >= 0 ? bound : Duration.ofSeconds(10);
    }

    /** The consumer's session timeout: {@code kafka.session.timeout.ms}, else Courier's 10 s. */
    static Duration sessionTimeout(Settings settings) {
        String configured = settings.kafka().clientProperties().get("session.timeout.ms");
        try {
            return configured == null ? DEFAULT_SESSION_TIMEOUT : Duration.ofMillis(Long.parseLong(configured.trim()));
        } catch (NumberFormatException e) {
            return DEFAULT_SESSION_TIMEOUT;
        }
    }

    /**
     * The {@code circuits} check: always up, since an open circuit is the target's trouble, not this instance's;
     * while circuits are open, its note names each host, how long since its circuit opened and how many events wait
     * for it (they keep their attempts and get no outcome meanwhile).
     *
     * @param state the dispatcher's state as last sampled; null before the first sample
     */
    static Health.Check circuits(Supplier<DispatchState> state) {
        return () -> {
            DispatchState now = state.get();
            if (now == null) {
                return Health.Status.up();
            }
            List<String> open = new ArrayList<>();
            for (DispatchState.HostStatus host : now.hosts()) {
                if (!host.circuit().equals("CLOSED")) {
                    open.add(host.host() + " " + host.circuit().toLowerCase(Locale.ROOT).replace('_', '-') + " for "
                            + host.openFor().toSeconds() + " s, " + host.waiting() + " events waiting");
                }
            }
            return open.isEmpty() ? new Health.Status(true, "every circuit closed")
                    : new Health.Status(true, "open circuits: " + String.join("; ", open));
        };
    }

    /** Registers the engine's checks on {@code health}. */
    static void register(Health health, Settings settings, Engine engine, EngineObserver observer,
            Health.Check kafka, Health.Check registry, LongSupplier nanoTime) {
        Duration intakeStall = intakeStallBound(settings);
        Duration publishStall = publishStallBound(settings);
        Duration session = sessionTimeout(settings);
        health.live("intake", () -> {
            if (!engine.intakeAlive()) {
                return Health.Status.down("the intake thread has ended" + (engine.failure() == null ? ""
                        : ": " + engine.failure().getMessage()));
            }
            Duration since = observer.sinceIntakeTurned();
            return since.compareTo(intakeStall) > 0
                    ? Health.Status.down("the intake loop has not turned for " + since.toSeconds() + " s (the limit is "
                            + intakeStall.toSeconds() + " s)")
                    : Health.Status.up();
        });
        health.live("dispatcher", new DispatcherProbe(engine, nanoTime));
        health.ready("intake", () -> engine.isStopping() ? Health.Status.down("stopping")
                : observer.intakeTurned() ? Health.Status.up() : Health.Status.down("intake has not polled yet"));
        health.ready("group", () -> {
            EngineObserver.IntakeSample sample = observer.sample();
            if (sample == null || sample.generation() <= 0) {
                return Health.Status.down("not a member of consumer group " + settings.groupId() + " yet");
            }
            if (sample.sinceHeartbeat() != null && sample.sinceHeartbeat().compareTo(session) > 0) {
                return Health.Status.down("the group coordinator has not answered a heartbeat for "
                        + sample.sinceHeartbeat().toSeconds() + " s (the session timeout is " + session.toSeconds()
                        + " s)");
            }
            return new Health.Status(true, sample.assigned() + " partitions assigned");
        });
        health.ready("publisher", () -> {
            var stall = engine.publisherStall();
            if (stall.duration().compareTo(publishStall) > 0) {
                return Health.Status.down(stall.what() + " has been failing for " + stall.duration().toSeconds()
                        + " s");
            }
            EngineObserver.IntakeSample sample = observer.sample();
            if (sample != null && sample.commitPending().compareTo(publishStall) > 0) {
                return Health.Status.down("a commit has been pending for " + sample.commitPending().toSeconds() + " s");
            }
            return Health.Status.up();
        });
        health.ready("kafka", kafka);
        health.ready("registry", registry);
    }

    /**
     * Whether the dispatch thread runs what it is given: each check sends it a ping and reads the last one's fate. A
     * ping unanswered for {@link #DISPATCH_STALL} is a wedge.
     */
    private static final class DispatcherProbe implements Health.Check {

        private final Engine engine;
        private final LongSupplier nanoTime;
        private CompletableFuture<Integer> ping;
        private long sentAt;

        DispatcherProbe(Engine engine, LongSupplier nanoTime) {
            this.engine = engine;
            this.nanoTime = nanoTime;
        }

        @Override
        public synchronized Health.Status check() {
            if (engine.isStopping()) {
                return Health.Status.up();
            }
            long now = nanoTime.getAsLong();
            if (ping != null && !ping.isDone()) {
                Duration waiting = Duration.ofNanos(now - sentAt);
                return waiting.compareTo(DISPATCH_STALL) > 0
                        ? Health.Status.down("the dispatch thread has not run a task for " + waiting.toSeconds() + " s")
                        : Health.Status.up();
            }
            ping = engine.dispatcher().ping();
            sentAt = now;
            return Health.Status.up();
        }
    }
}
