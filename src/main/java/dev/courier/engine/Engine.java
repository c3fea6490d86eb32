package dev.courier.engine;

import dev.courier.config.Settings;
import dev.courier.config.SettingsException;
import dev.courier.dispatch.Dispatcher;
import dev.courier.http.HostResolver;
import dev.courier.http.HttpCaller;
import dev.courier.http.OkHttpCaller;
import dev.courier.http.TokenListener;
import dev.courier.intake.EngineListener;
import dev.courier.intake.Intake;
import dev.courier.ops.TokenMeters;
import dev.courier.publish.Origin;
import dev.courier.publish.OutcomePublisher;
import dev.courier.publish.RetryStatuses;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Courier's engine, assembled from the settings and running: the intake thread, the dispatcher with
 * its workers, the HTTP client and the outcome publisher. {@link #start} checks the settings, the cluster and
 * the registry first, so an unreachable broker or registry, or settings that cannot work together, are a clear
 * error, not a hang.
 *
 * <p>Ownership: the intake owns the consumer and the dispatcher, the dispatcher owns the HTTP client; the
 * engine owns the intake thread and the publisher. How the parts are made and joined is {@link Assembly}'s; this
 * class is the engine once it runs, and how it stops.
 *
 * <p>Thread-safe. {@link #close()} stops taking work, lets calls in progress finish within the drain
 * timeout, commits and releases everything.
 */
public final class Engine implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);

    private final Intake intake;
    private final Thread intakeThread;
    private final OutcomePublisher publisher;
    /** Writes the statuses of events that wait for a retry; null when statuses are off. */
    private final RetryStatuses retryStatuses;
    /** How long closing the producer waits for what it still has to send. */
    static final Duration PUBLISHER_CLOSE_TIMEOUT = Duration.ofSeconds(2);

    private final Duration shutdownBound;
    private final AtomicReference<Throwable> failure;
    private final Dispatcher<Origin> dispatcher;
    private final KafkaMeters kafkaMeters;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile boolean stopping;

    Engine(Intake intake, Thread intakeThread, OutcomePublisher publisher, RetryStatuses retryStatuses,
            Duration shutdownBound, AtomicReference<Throwable> failure, Dispatcher<Origin> dispatcher,
            KafkaMeters kafkaMeters) {
        this.intake = intake;
        this.intakeThread = intakeThread;
        this.publisher = publisher;
        this.retryStatuses = retryStatuses;
        this.shutdownBound = shutdownBound;
        this.failure = failure;
        this.dispatcher = dispatcher;
        this.kafkaMeters = kafkaMeters;
    }

    /**
     * Checks the settings, the topics and the registry, then starts the engine.
     *
     * @throws SettingsException      naming a combination of settings that cannot work
     * @throws EngineException when Kafka or the registry cannot be reached or a topic is missing
     */
    public static Engine start(Settings settings, EngineListener listener) {
        return start(settings, listener, HostResolver.SYSTEM);
    }

    /**
     * {@link #start(Settings, EngineListener)} with host names resolved by {@code resolver}: tests map their names
     * here, never to the real DNS.
     */
    static Engine start(Settings settings, EngineListener listener, HostResolver resolver) {
        return start(settings, listener, resolver, null);
    }

    /**
     * {@link #start(Settings, EngineListener, HostResolver)} with the Kafka clients' own metrics bound to
     * {@code meters} (Micrometer's Kafka binder), or none when it is null.
     */
    static Engine start(Settings settings, EngineListener listener, HostResolver resolver, MeterRegistry meters) {
        HttpCaller caller;
        try {
            caller = OkHttpCaller.builder(settings.http()).egress(settings.egress())
                    .targets(settings.targets().values()).resolver(resolver).clock(Clock.systemUTC())
                    .concurrency(settings.dispatch().workers())
                    .tokenListener(meters == null ? TokenListener.NONE : new TokenMeters(meters)).build();
        } catch (IllegalArgumentException e) {
            throw new EngineException(e.getMessage(), e);
        }
        return start(settings, listener, caller, meters);
    }

    /**
     * {@link #start(Settings, EngineListener)} with the HTTP caller of the caller's choosing, which it takes over: it
     * is closed with the engine, or at once when the engine cannot start.
     */
    static Engine start(Settings settings, EngineListener listener, HttpCaller caller) {
        return start(settings, listener, caller, null);
    }

    private static Engine start(Settings settings, EngineListener listener, HttpCaller caller, MeterRegistry meters) {
        KafkaMeters kafkaMeters = new KafkaMeters(meters);
        try {
            return Assembly.assemble(settings, listener, caller, kafkaMeters);
        } catch (RuntimeException e) {
            kafkaMeters.close();
            caller.close();
            throw e;
        }
    }

    /**
     * The longest a shutdown takes, from the stop request to the engine closed: the drain (or a blocking call the
     * intake thread was in, if that is longer), the final commit, stopping the dispatcher (its thread, then its
     * workers), leaving the group and closing the producer. The defaults make it 15 + 5 + 8 = 28 s.
     */
    static Duration shutdownBound(Settings settings) {
        Duration drain = settings.dispatch().drainTimeout();
        Duration commit = settings.dispatch().commitTimeout();
        return (drain.compareTo(commit) >= 0 ? drain : commit)
                .plus(commit)
                .plus(Dispatcher.STOP_WAIT.multipliedBy(2))
                .plus(Intake.CLOSE_TIMEOUT)
                .plus(PUBLISHER_CLOSE_TIMEOUT);
    }

    /** Asks the engine to stop taking work; returns at once. */
    void stop() {
        stopping = true;
        intake.stop();
    }

    /** Whether the engine was asked to stop, or stopped by itself. */
    boolean isStopping() {
        return stopping || !intakeThread.isAlive();
    }

    /** Whether the intake thread is running. */
    boolean intakeAlive() {
        return intakeThread.isAlive();
    }

    /** The engine's dispatcher, for its metrics and its liveness. */
    Dispatcher<Origin> dispatcher() {
        return dispatcher;
    }

    /** How long publishing has been failing, if it is. */
    OutcomePublisher.Stall publisherStall() {
        return publisher.stall();
    }

    /** Waits until the intake thread has finished, at most {@code timeout}; true when it has. */
    boolean awaitStopped(Duration timeout) throws InterruptedException {
        intakeThread.join(Math.max(1, timeout.toMillis()));
        return !intakeThread.isAlive();
    }

    /** Why the engine stopped by itself, or null. */
    Throwable failure() {
        return failure.get();
    }

    /**
     * Stops, drains within the drain timeout, commits and releases everything, within {@link #shutdownBound}.
     * Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        long closing = System.nanoTime();
        stop();
        try {
            if (!awaitStopped(shutdownBound.minus(PUBLISHER_CLOSE_TIMEOUT))) {
                LOG.warn("The intake thread did not stop in time; closing anyway");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (retryStatuses != null) {
                retryStatuses.close();
            }
            publisher.close(PUBLISHER_CLOSE_TIMEOUT);
            kafkaMeters.close();
            LOG.info("Stopped {} ms after the stop began", Duration.ofNanos(System.nanoTime() - closing).toMillis());
        }
    }
}
