package dev.courier.dispatch;

import dev.courier.config.CircuitSettings;
import dev.courier.config.RateSettings;
import java.time.Duration;

/**
 * What each attempt's answer does to the host that answered, and only to it: its circuit counts the result (when the
 * circuit permitted the call), its adaptive rate follows it ({@link AdaptiveRate}), and its bucket follows the rate.
 * (A pause the answer asks for is set by the worker that read it, at once: {@link HostState#pauseUntil}.) When the
 * host may let calls through again, its waiting lanes are given back ({@link CallGate#release}).
 *
 * <p>Dispatch thread only.
 */
final class HostFeedback<C> {

    /** Hears of circuits that open and close, for the log. */
    interface CircuitListener {

        /**
         * {@code host}'s circuit opened (not counting reopenings after failed probes).
         *
         * @param failed  failed calls among the {@code counted} last ones
         * @param waiting events waiting for the host now
         */
        void opened(String host, int failed, int counted, Duration probeIn, int waiting);

        /** {@code host}'s circuit closed after its probes succeeded, {@code openFor} after it first opened. */
        void closed(String host, Duration openFor, int waiting);
    }

    private final CircuitSettings circuits;
    private final RateSettings.Adaptive adaptive;
    private final Scheduler scheduler;
    private final CallGate<C> gate;
    private final TokenBuckets buckets;
    private final CircuitListener listener;
    private double floor;

    /** @param floor this instance's share of {@code courier.rate.floor} */
    HostFeedback(CircuitSettings circuits, RateSettings.Adaptive adaptive, double floor, Scheduler scheduler,
            CallGate<C> gate, CircuitListener listener) {
        this.circuits = circuits;
        this.adaptive = adaptive;
        this.floor = floor;
        this.scheduler = scheduler;
        this.gate = gate;
        this.listener = listener;
        this.buckets = new TokenBuckets(scheduler::nanoTime);
    }

    /** The state of a host seen for the first time: unlimited, not paused, circuit closed. */
    HostState<C> newHost(String name) {
        HostState<C> host = new HostState<>(name, circuits.enabled() ? new HostCircuit(circuits) : null,
                new AdaptiveRate(adaptive, floor));
        gate.attach(host);
        return host;
    }

    /** This instance's share of the floor changed. */
    void floor(double newFloor, Hosts<C> hosts) {
        floor = newFloor;
        hosts.forEach(host -> {
            host.rate.floor(newFloor);
            rebuild(host);
        });
    }

    /**
     * What the attempt of {@code job} said, on its host: the circuit counts it (when the circuit permitted the
     * call), the adaptive rate follows it. Null feedback: no call was made, and a circuit permit is given back.
     */
    void answered(Job<C> job, Feedback feedback) {
        HostState<C> host = job.host;
        long now = scheduler.nanoTime();
        boolean release = false;
        if (job.circuitPermit) {
            job.circuitPermit = false;
            if (feedback == null || feedback.circuit() == Feedback.Verdict.IGNORED) {
                host.circuit.release(job.circuitEpoch);
            } else {
                HostCircuit.Change change = host.circuit.record(job.circuitEpoch,
                        feedback.circuit() == Feedback.Verdict.FAILURE, now);
                circuitChanged(host, change, now);
            }
            release = host.awaitingProbes;
        }
        // while the circuit is not closed, the host's failures are the circuit's: few answers, none to judge a rate by
        if (feedback != null && (host.circuit == null || host.circuit.state() == HostCircuit.State.CLOSED)) {
            double before = host.rate.rate();
            if (host.rate.answered(feedback.signal(), now, host.observedRate(now))) {
                rebuild(host);
                release |= host.rate.rate() > before;
            }
        }
        if (release) {
            gate.release(host);
        }
    }

    /** Gives back the circuit permit of a job that leaves before its call (abandoned, or sent back by a pause). */
    void forgo(Job<C> job) {
        if (job.circuitPermit) {
            job.circuitPermit = false;
            job.host.circuit.release(job.circuitEpoch);
            if (job.host.awaitingProbes) {
                gate.release(job.host);
            }
        }
    }

    /** {@code job} waits for its host's circuit: its stage says so, and so will its dead letter. */
    static void waitsForCircuit(Job<?> job) {
        job.moveTo(Job.Stage.CIRCUIT);
        job.circuitWaited = true;
    }

    /** Makes the host's bucket follow its adaptive rate: none while unlimited, else refilling at the rate. */
    private void rebuild(HostState<C> host) {
        double rate = host.rate.rate();
        if (Double.isInfinite(rate)) {
            host.bucket = null;
        } else if (host.bucket == null) {
            host.bucket = buckets.bucket(rate, capacity(rate));
        } else if (rate != host.bucketRate) {
            buckets.reconfigure(host.bucket, rate, capacity(rate));
        }
        host.bucketRate = rate;
    }

    /** A slowed host's burst: one second of its rate. */
    private static long capacity(double rate) {
        return Math.max(1, (long) Math.ceil(rate));
    }

    private void circuitChanged(HostState<C> host, HostCircuit.Change change, long now) {
        if (change == HostCircuit.Change.OPENED || change == HostCircuit.Change.REOPENED) {
            host.rate.circuitOpened();
            rebuild(host);
        }
        if (change == HostCircuit.Change.OPENED) {
            host.openedAt = now;
            host.openLogged = true;
            listener.opened(host.name, host.circuit.failures(), host.circuit.counted(),
                    Duration.ofNanos(Math.max(0, host.circuit.probeAt() - now)), host.waiting());
        } else if (change == HostCircuit.Change.CLOSED && host.openLogged) {
            host.openLogged = false;
            listener.closed(host.name, Duration.ofNanos(now - host.openedAt), host.waiting());
        }
    }
}
