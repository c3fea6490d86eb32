package dev.courier.dispatch;

import dev.courier.config.RateSettings;
import dev.courier.config.Settings;
import dev.courier.http.HttpCaller;
import dev.courier.model.DispatchRequest;
import dev.courier.model.FailureCategory;
import dev.courier.model.Outcome;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.DoubleSupplier;
import java.util.function.IntSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the HTTP attempts of the events given to it, within Courier's limits, and reports one outcome per event to
 * its {@link DispatchListener}: a fixed pool of workers makes the calls; token buckets limit the attempts per second,
 * globally and per rate-limit key; at most {@code courier.http.per-host-concurrency} calls go to one host at once;
 * events with an equal ordering key run one at a time, in submission order; failed attempts are retried as the
 * retry policy decides. Waiting for any of these holds no thread.
 *
 * <p>Threads: {@link #submit}, {@link #abandon}, {@link #inFlight} and {@link #close} may be called from any thread
 * and never block, except {@code close}. One dispatch thread ({@code courier-dispatch}) owns all scheduling state:
 * the buckets, the ordering queues, the host slots, the live jobs and the retry timers; other threads only post tasks
 * to it. The workers ({@code courier-http-N}) make the calls, apply the retry policy and call the listener's
 * {@code onAttempt} and {@code onOutcome}; {@code onAbandoned} is called on the dispatch thread.
 *
 * <p>Bounds: the dispatcher holds what is submitted to it and not yet reported, a small job each; the caller bounds
 * that number (see {@code courier.max-in-flight}). Nothing else grows with the load.
 *
 * @param <C> the caller's context for each event, opaque to the dispatcher
 */
public final class Dispatcher<C> implements AutoCloseable {

    /** How long {@link #close} waits for the dispatch thread, and then for the workers. */
    public static final Duration STOP_WAIT = Duration.ofSeconds(2);
    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

    private final Scheduler scheduler;
    private final Workers workers;
    private final HttpCaller caller;
    private final Reporter<C> reporter;
    private final AttemptRunner<C> runner;
    private final Pipeline<C> pipeline;
    private final KeyLoad load;
    private final RateSettings rates;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final StageCounts stages = new StageCounts();

    /**
     * The events in the dispatcher by what they wait for, at one moment, for metrics.
     *
     * @param key     behind an earlier event with their ordering key
     * @param parked  beyond their rate-limit key's courier.max-in-flight-per-key, for one of its events to end
     * @param circuit for their host's open circuit to let a call through
     * @param token   for their host's pause to end or a token of their rate limits (the host's adaptive rate, their
     *                key's, the global one)
     * @param host    for a call slot of their host (its share of the workers, or its per-host concurrency)
     * @param worker  for a free worker
     * @param retry   for the delay before their next attempt
     * @param calling with a worker: in a call, or having its outcome delivered
     */
    public record Waiting(int key, int parked, int circuit, int token, int host, int worker, int retry, int calling) {
    }

    Dispatcher(Settings settings, HttpCaller caller, DispatchListener<C> listener, Clock clock, Scheduler scheduler,
            Workers workers, DoubleSupplier random) {
        this.scheduler = scheduler;
        this.workers = workers;
        this.caller = caller;
        this.reporter = new Reporter<>(listener);
        this.runner = new AttemptRunner<>(caller, new RetryPolicy(settings.retry(), targetMaxAttempts(settings), random),
                reporter, clock, scheduler::nanoTime, settings.retry().retryAfterMax(),
                settings.retry().successStatuses()::contains);
        WorkerGate<C> workerGate = new WorkerGate<>(workers, settings.dispatch().workers(), this::runOnWorker);
        this.rates = settings.rate();
        this.load = new KeyLoad(settings.dispatch().maxInFlightPerKey(), settings.dispatch().maxInFlight());
        this.pipeline = new Pipeline<>(settings, scheduler, workerGate, reporter, runner::isExpired, load, clock,
                new CircuitLog());
    }

    private static Map<String, Integer> targetMaxAttempts(Settings settings) {
        Map<String, Integer> limits = new HashMap<>();
        settings.targets().values().forEach(target -> {
            if (target.maxAttempts() != null) {
                limits.put(target.name(), target.maxAttempts());
            }
        });
        return limits;
    }

    /**
     * Starts a dispatcher with its own dispatch thread and {@code courier.workers} worker threads. It takes over
     * {@code caller}: {@link #close} closes it.
     *
     * @param clock the wall clock for attempt times, deadlines and {@code Retry-After} dates
     */
    public static <C> Dispatcher<C> start(Settings settings, HttpCaller caller, DispatchListener<C> listener,
            Clock clock) {
        return new Dispatcher<>(settings, caller, listener, clock, new ThreadScheduler(),
                new WorkerThreads(settings.dispatch().workers()), () -> ThreadLocalRandom.current().nextDouble());
    }

    /**
     * Takes an event: it gets exactly one {@code onOutcome}, unless it is abandoned or the dispatcher closes first.
     * Never blocks. Any thread.
     *
     * @param orderingKey events with an equal key run one at a time, in the order submitted; null for none
     * @param context     handed back with the outcome
     * @throws IllegalStateException when the dispatcher is closed
     */
    public void submit(DispatchRequest request, Object orderingKey, C context) {
        Objects.requireNonNull(request, "request");
        if (closed.get()) {
            throw new IllegalStateException("the dispatcher is closed");
        }
        Job<C> job = new Job<>(request, orderingKey, context, limitKey(request), stages);
        reporter.submitted();
        job.load = load.entered(job.keyName);
        scheduler.execute(() -> pipeline.admit(job));
    }

    /**
     * Abandons the events whose context matches {@code which}: those waiting are dropped, those in a call finish it
     * but are not reported. Each gets {@code onAbandoned} once and no {@code onOutcome}; an event whose outcome is
     * already being delivered when the abandon takes effect is not abandoned. Never blocks. Any thread.
     *
     * @param which tested on the dispatch thread, against the context of each event in flight; must be quick
     * @return completes with the number of events abandoned once it has taken effect (on the dispatch thread), or
     *         with 0 when the dispatcher is closed
     */
    public CompletableFuture<Integer> abandon(Predicate<C> which) {
        Objects.requireNonNull(which, "which");
        return onDispatchThread(() -> pipeline.abandon(which));
    }

    /**
     * Stops starting attempts, for a shutdown: events waiting (for their key's turn, a token, a host slot, a worker
     * or a retry) are abandoned at once; calls in progress finish and report their final outcome, or are abandoned
     * when they end in a decision to retry; events submitted afterwards are abandoned. So the events left for the
     * next owner were not in a call when the shutdown began, or would have needed another attempt. Never blocks.
     * Any thread.
     *
     * @return completes with the number of events abandoned at once, when that has taken effect
     */
    public CompletableFuture<Integer> drain() {
        return onDispatchThread(pipeline::drain);
    }

    /**
     * {@link #drain()} for the events whose context matches {@code which} only, for a revocation: those not in a
     * call are abandoned at once; those in a call finish it and report a final outcome, or are abandoned if it ends
     * in a decision to retry. Events submitted afterwards are not affected. Never blocks. Any thread.
     *
     * @param which tested on the dispatch thread against the context of each event in flight; must be quick
     * @return completes with the number of events abandoned at once, when that has taken effect
     */
    public CompletableFuture<Integer> drain(Predicate<C> which) {
        Objects.requireNonNull(which, "which");
        return onDispatchThread(() -> pipeline.drain(which));
    }

    private CompletableFuture<Integer> onDispatchThread(IntSupplier action) {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        if (closed.get()) {
            done.complete(0);
            return done;
        }
        scheduler.execute(() -> {
            try {
                done.complete(action.getAsInt());
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
                throw e;
            }
        });
        return done;
    }

    /**
     * The rate-limit key of {@code request}: its named target's when that target has a rate of its own, else the
     * event's {@code rateLimitKey} (by default the URL's host). A key names a budget only: pauses, adaptive rates and
     * circuits belong to the host a call goes to, whatever key the event names. Any thread.
     */
    public String limitKey(DispatchRequest request) {
        return rates.keyFor(request.target(), request.rateLimitKey());
    }

    /**
     * Whether an event of rate-limit key {@code key} may be submitted now without passing the bounds of parked
     * events: the key has fewer than {@code courier.max-in-flight-per-key} events here, or room to park another
     * (as many again per key, {@code courier.max-in-flight} across keys). The caller holds the event back
     * otherwise (intake pauses its partition). Never blocks. Any thread.
     */
    public boolean hasRoomFor(String key) {
        return load.hasRoom(key);
    }

    /**
     * Events parked now: beyond their key's {@code courier.max-in-flight-per-key}, they wait without counting
     * towards {@code courier.max-in-flight}. Any thread.
     */
    public int parked() {
        return load.parked();
    }

    /**
     * This instance's share of the group's rate budgets, when {@code courier.rate.scope=group}: every rate and burst
     * is scaled to it from now on (buckets keep their share of tokens). Until it is first set, the share is the
     * whole budget. Ignored in {@code instance} scope. Never blocks. Any thread.
     */
    public void setShare(RateShare share) {
        Objects.requireNonNull(share, "share");
        if (!closed.get()) {
            scheduler.execute(() -> pipeline.share(share));
        }
    }

    /**
     * What the dispatcher knows of every key and host: configured and current rate, pause, events and parked
     * events, circuit state. For metrics and tests. Never blocks. Any thread.
     *
     * @return completes on the dispatch thread; never completes once the dispatcher is closed
     */
    public CompletableFuture<DispatchState> state() {
        CompletableFuture<DispatchState> state = new CompletableFuture<>();
        if (closed.get()) {
            state.complete(new DispatchState(List.of(), List.of()));
            return state;
        }
        scheduler.execute(() -> state.complete(pipeline.state()));
        return state;
    }

    /** The events waiting, by what for, as the dispatch thread last moved them. Any thread; never blocks. */
    public Waiting waiting() {
        return new Waiting(stages.at(Job.Stage.BEHIND_KEY), stages.at(Job.Stage.PARKED),
                stages.at(Job.Stage.CIRCUIT), stages.at(Job.Stage.TOKENS), stages.at(Job.Stage.HOST),
                stages.at(Job.Stage.READY), stages.at(Job.Stage.RETRY), stages.at(Job.Stage.RUNNING));
    }

    /**
     * Completes once the dispatch thread has run everything given to it before: a liveness probe. Completes at once
     * when the dispatcher is closed. Any thread; never blocks.
     */
    public CompletableFuture<Integer> ping() {
        return onDispatchThread(() -> 0);
    }

    /** Events submitted and not yet reported or abandoned. Any thread. */
    public int inFlight() {
        return reporter.inFlight();
    }

    /**
     * Stops: no listener call starts after this begins, waiting events are dropped without a callback, the
     * {@link HttpCaller} is closed to end the calls in progress, and the workers are interrupted and waited for, up
     * to {@link #STOP_WAIT} each for the dispatch thread and the workers. Idempotent; a second call returns at once.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        reporter.close();
        boolean interrupted = false;
        try {
            if (!scheduler.stop(STOP_WAIT)) {
                LOG.warn("The dispatch thread did not stop within {}", STOP_WAIT);
            }
        } catch (InterruptedException e) {
            interrupted = true;
        }
        try {
            caller.close();
        } finally {
            try {
                if (!workers.stop(interrupted ? Duration.ZERO : STOP_WAIT)) {
                    LOG.warn("Some HTTP workers were still in a call {} after they were interrupted", STOP_WAIT);
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A worker's share of an attempt: the call and the decision, then the bookkeeping back to the dispatch thread. */
    private void runOnWorker(Job<C> job) {
        Decision decision = null;
        EventLogContext logContext = EventLogContext.enter(job.request);
        try {
            decision = runner.attempt(job);
            runner.report(job, decision);
        } catch (RuntimeException e) {
            LOG.error("An attempt of request {} failed inside the dispatcher; it ends as an INTERNAL_ERROR dead letter",
                    job.request.id(), e);
            Decision.Done internal = new Decision.Done(new Outcome.DeadLetter(FailureCategory.INTERNAL_ERROR,
                    job.lastStatus, "Courier failed while processing the event: " + e, job.attempts));
            decision = internal;
            runner.report(job, internal);
        } catch (Error e) {
            LOG.error("An attempt of request {} ended in an error; the event may have no outcome", job.request.id(), e);
            reporter.failed(job, e);
        } finally {
            logContext.close();
            Decision decided = decision;
            scheduler.execute(() -> pipeline.attemptEnded(job, decided));
        }
    }
}
