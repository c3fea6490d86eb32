package dev.courier.dispatch;

import dev.courier.config.CircuitSettings;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A resilience4j {@link CircuitBreaker} per host, on the dispatcher's own time. A job goes on when its host's circuit
 * permits a call; while the circuit is open (or its probes are all out) the job waits here without holding a thread
 * and without using an attempt, and goes on when the wait is over and a probe is free, or when its deadline passes
 * (then it reports EXPIRED without a call). The result of each call a circuit permitted is recorded on it.
 *
 * <p>At most {@code maxHosts} circuits of hosts with no job waiting are kept, least recently used forgotten first; a
 * forgotten host starts again with a closed circuit.
 *
 * <p>Dispatch thread only (the breakers themselves are thread-safe, and are only touched here).
 */
final class CircuitGate<C> {

    /** Recorded for a failed call; the breaker counts it, nothing reads it. */
    private static final Exception FAILED = new Exception("the call failed", null, false, false) {
    };

    /** One host's circuit and the jobs waiting for it. */
    static final class Circuit<C> {
        final String host;
        final CircuitBreaker breaker;
        final List<Job<C>> waiting = new ArrayList<>();
        /** When the circuit last opened (nano time). */
        long openedAt;
        boolean timerSet;

        Circuit(String host, CircuitBreaker breaker) {
            this.host = host;
            this.breaker = breaker;
        }
    }

    private final CircuitSettings settings;
    private final Scheduler scheduler;
    private final Consumer<Job<C>> pass;
    private final Predicate<Job<C>> expired;
    private final int maxHosts;
    private final Clock wallClock;
    private final CircuitBreakerConfig config;
    private final Map<String, Circuit<C>> circuits = new LinkedHashMap<>(16, 0.75f, true);

    /**
     * @param pass    where a job goes once its host's circuit lets it call, or its deadline has passed
     * @param expired whether a job's deadline has passed
     * @param wallClock the clock deadlines are read against
     */
    CircuitGate(CircuitSettings settings, int maxHosts, Scheduler scheduler, Consumer<Job<C>> pass,
            Predicate<Job<C>> expired, Clock wallClock) {
        this.settings = settings;
        this.wallClock = wallClock;
        this.scheduler = scheduler;
        this.pass = pass;
        this.expired = expired;
        this.maxHosts = maxHosts;
        this.config = settings.enabled() ? CircuitBreakerConfig.custom()
                .slidingWindow(settings.window(), settings.window(),
                        CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .failureRateThreshold((float) (settings.failureRatio() * 100))
                .waitDurationInOpenState(settings.openWait())
                .permittedNumberOfCallsInHalfOpenState(settings.probes())
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .clock(new SchedulerClock(scheduler, Instant.EPOCH)) // the breakers read only this clock
                .build() : null;
    }

    /** Passes {@code job} on once its host's circuit permits a call. */
    void enter(Job<C> job) {
        if (config == null) {
            pass.accept(job);
            return;
        }
        Circuit<C> circuit = circuitFor(job.request.host());
        if (circuit.waiting.isEmpty() && permit(circuit, job)) {
            pass.accept(job);
            return;
        }
        job.moveTo(Job.Stage.CIRCUIT);
        job.circuitWaited = true;
        circuit.waiting.add(job);
        if (job.request.deadline() != null) {
            long nanos = Duration.between(wallClock.instant(), job.request.deadline()).toNanos();
            scheduler.schedule(Math.max(1, nanos + 1), () -> expireWaiting(circuit));
        }
        setTimer(circuit);
    }

    /** Whether the circuit of {@code job}'s host is open now: it would wait. */
    boolean isOpen(Job<C> job) {
        if (config == null) {
            return false;
        }
        Circuit<C> circuit = circuits.get(job.request.host());
        return circuit != null && circuit.breaker.getState() == CircuitBreaker.State.OPEN;
    }

    /**
     * Records what the attempt of {@code job} said on the circuit that permitted it, and lets waiting jobs of the host
     * go when the circuit now permits them.
     */
    void record(Job<C> job, Feedback feedback) {
        if (!job.circuitPermit) {
            return;
        }
        job.circuitPermit = false;
        Circuit<C> circuit = circuits.get(job.request.host());
        if (circuit == null) {
            return;
        }
        CircuitBreaker.State before = circuit.breaker.getState();
        if (feedback == null || feedback.circuit() == Feedback.Verdict.IGNORED) {
            circuit.breaker.releasePermission();
        } else if (feedback.circuit() == Feedback.Verdict.SUCCESS) {
            circuit.breaker.onSuccess(feedback.latency().toNanos(), TimeUnit.NANOSECONDS);
        } else {
            circuit.breaker.onError(feedback.latency().toNanos(), TimeUnit.NANOSECONDS, FAILED);
        }
        if (before != CircuitBreaker.State.OPEN && circuit.breaker.getState() == CircuitBreaker.State.OPEN) {
            circuit.openedAt = scheduler.nanoTime();
        }
        release(circuit);
    }

    /** Gives back the permit of a job that leaves before its call (abandoned, or sent back by a pause). */
    void forgo(Job<C> job) {
        if (job.circuitPermit) {
            job.circuitPermit = false;
            Circuit<C> circuit = circuits.get(job.request.host());
            if (circuit != null) {
                circuit.breaker.releasePermission();
                release(circuit);
            }
        }
    }

    /** The state of each host's circuit now, by host. */
    Map<String, String> states() {
        Map<String, String> states = new LinkedHashMap<>();
        circuits.forEach((host, circuit) -> states.put(host, circuit.breaker.getState().name()));
        return states;
    }

    /** Jobs waiting for {@code host}'s circuit. */
    int waiting(String host) {
        Circuit<C> circuit = circuits.get(host);
        return circuit == null ? 0 : circuit.waiting.size();
    }

    private boolean permit(Circuit<C> circuit, Job<C> job) {
        if (circuit.breaker.tryAcquirePermission()) {
            job.circuitPermit = true;
            return true;
        }
        return false;
    }

    /** Lets the waiting jobs of {@code circuit} go while it permits calls; abandoned ones are dropped. */
    private void release(Circuit<C> circuit) {
        Iterator<Job<C>> jobs = circuit.waiting.iterator();
        List<Job<C>> going = new ArrayList<>();
        while (jobs.hasNext()) {
            Job<C> job = jobs.next();
            if (job.isAbandoned() || job.stage != Job.Stage.CIRCUIT) {
                jobs.remove();
            } else if (expired.test(job) || permit(circuit, job)) {
                jobs.remove();
                going.add(job);
            } else {
                break;
            }
        }
        going.forEach(pass);
        setTimer(circuit);
    }

    private void expireWaiting(Circuit<C> circuit) {
        List<Job<C>> going = new ArrayList<>();
        circuit.waiting.removeIf(job -> {
            if (job.isAbandoned() || job.stage != Job.Stage.CIRCUIT) {
                return true;
            }
            if (expired.test(job)) {
                going.add(job);
                return true;
            }
            return false;
        });
        going.forEach(pass);
    }

    /** While jobs wait at an open circuit, a timer lets them try again when its wait is over. */
    private void setTimer(Circuit<C> circuit) {
        if (circuit.waiting.isEmpty() || circuit.timerSet
                || circuit.breaker.getState() != CircuitBreaker.State.OPEN) {
            return;
        }
        circuit.timerSet = true;
        long due = circuit.openedAt + settings.openWait().toNanos() - scheduler.nanoTime();
        scheduler.schedule(Math.max(1, due + 1), () -> {
            circuit.timerSet = false;
            release(circuit);
        });
    }

    private Circuit<C> circuitFor(String host) {
        Circuit<C> circuit = circuits.get(host);
        if (circuit == null) {
            circuit = new Circuit<>(host, CircuitBreaker.of(host, config));
            // room is made first: the new circuit has no job waiting yet, and must not be the one forgotten
            trim(maxHosts - 1);
            circuits.put(host, circuit);
        }
        return circuit;
    }

    private void trim(int bound) {
        Iterator<Circuit<C>> eldestFirst = circuits.values().iterator();
        while (circuits.size() > bound && eldestFirst.hasNext()) {
            Circuit<C> circuit = eldestFirst.next();
            if (circuit.waiting.isEmpty() && !circuit.timerSet) {
                eldestFirst.remove();
            }
        }
    }
}
