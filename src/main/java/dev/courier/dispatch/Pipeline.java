package dev.courier.dispatch;

import dev.courier.config.RateScope;
import dev.courier.config.Settings;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Moves each job through the gates between submission and a worker, and back after each attempt:
 *
 * <ol>
 *   <li>its ordering key's turn ({@link OrderGate});
 *   <li>a place among the jobs of its rate-limit key counted in flight ({@code courier.max-in-flight-per-key}); the
 *       key's jobs beyond those are parked, in order, until one of the counted ends;
 *   <li>its host's circuit letting a call through ({@link CircuitGate}), for every attempt;
 *   <li>its key's pause over, and a token from each rate-limit bucket that applies ({@link RateGate}), for every
 *       attempt;
 *   <li>a place among its key's share of the workers ({@link KeyWorkerGate}): once there are other keys, a quarter
 *       of them stay for those, so that a key whose calls are slow cannot hold every worker;
 *   <li>a call slot of its host ({@link HostGate}), when the per-host limit is below the number of workers;
 *   <li>a free worker ({@link WorkerGate}).
 * </ol>
 *
 * After each attempt, what it said (pushback, a pause, a failure) goes back to the key's rate and the host's circuit.
 * A job whose deadline has passed skips the circuit, the tokens and the host slot: its worker reports it expired
 * without a call. Waiting at any gate, or for the delay before a retry, holds no thread. Every per-key and per-host
 * table is bounded ({@link Keys}, {@link CircuitGate}).
 *
 * <p>Confinement: all methods run on the dispatch thread, and so does everything they touch (the gates, the live
 * jobs, the links and stages of the jobs); other threads reach it only by posting tasks to the {@link Scheduler}.
 */
final class Pipeline<C> {

    private final Scheduler scheduler;
    private final Reporter<C> reporter;
    private final LiveJobs<C> live = new LiveJobs<>();
    private final OrderGate<C> order = new OrderGate<>();
    private final Keys<C> keys;
    private final KeyLoad load;
    private final int perKey;
    private final boolean groupScope;
    private final CircuitGate<C> circuit;
    private final RateGate<C> rate;
    private final KeyWorkerGate<C> keyWorkers;
    private final HostGate<C> hosts;
    private final WorkerGate<C> workers;
    private final Predicate<Job<C>> expired;
    private boolean draining;

    /**
     * @param expired whether a job's deadline has passed
     * @param load    the submitting threads' view of each key's jobs, told when a job leaves
     * @param clock   the wall clock deadlines are read against
     */
    Pipeline(Settings settings, Scheduler scheduler, WorkerGate<C> workers, Reporter<C> reporter,
            Predicate<Job<C>> expired, KeyLoad load, Clock clock) {
        this.scheduler = scheduler;
        this.reporter = reporter;
        this.workers = workers;
        this.expired = expired;
        this.load = load;
        this.perKey = settings.dispatch().maxInFlightPerKey();
        this.groupScope = settings.rate().scope() == RateScope.GROUP;
        int perHost = settings.http().perHostConcurrency();
        this.hosts = perHost < settings.dispatch().workers() ? new HostGate<>(perHost) : null;
        this.rate = new RateGate<>(settings.rate(), settings.retry().retryAfterMax(), scheduler, this::tokensTaken,
                expired, reporter::rateLimited);
        this.keys = new Keys<>(settings.rate().maxKeys(), rate::newKey);
        this.keyWorkers = new KeyWorkerGate<>(settings.dispatch().workers(), keys::size);
        this.circuit = new CircuitGate<>(settings.circuit(), settings.rate().maxKeys(), scheduler, rate::enter, expired,
                clock);
    }

    /** This instance's share of the group's budgets changed; ignored in {@code instance} scope. */
    void share(RateShare share) {
        if (groupScope) {
            rate.share(share, keys);
        }
    }

    /** What the dispatcher knows of every key and host now. */
    DispatchState state() {
        long now = scheduler.nanoTime();
        List<DispatchState.KeyStatus> statuses = new ArrayList<>();
        keys.forEach(key -> statuses.add(new DispatchState.KeyStatus(key.name, finiteOrZero(key.rate.configured()),
                finiteOrZero(key.rate.rate()), key.isPaused(now) ? Duration.ofNanos(key.pausedUntil - now)
                        : Duration.ZERO, key.jobs, key.parkedCount)));
        return new DispatchState(statuses, circuit.states());
    }

    private static double finiteOrZero(double rate) {
        return Double.isInfinite(rate) ? 0 : rate;
    }

    /** Whether jobs hold host slots, which {@link #callEnded} gives back. Any thread. */
    boolean limitsHosts() {
        return hosts != null;
    }

    /** A new job: it starts when its ordering key's turn comes; while draining, it is abandoned at once. */
    void admit(Job<C> job) {
        if (draining) {
            reporter.abandon(job);
            load.left(job.keyName);
            return;
        }
        live.add(job);
        KeyState<C> key = keys.get(job.keyName);
        job.key = key;
        key.jobs++;
        if (key.counted < perKey) {
            key.counted++;
            job.counted = true;
        } else {
            key.parkedJobs.add(job);
            key.parkedCount++;
        }
        if (order.enter(job)) {
            proceed(job);
        }
    }

    /** The job's ordering turn came: on to its host's circuit, unless it is parked. */
    private void proceed(Job<C> job) {
        if (!job.counted) {
            job.moveTo(Job.Stage.PARKED);
            return;
        }
        circuit.enter(job);
    }

    /** The job leaves the dispatcher: its key's count goes down, and the key's oldest parked job is counted. */
    private void leaveKey(Job<C> job) {
        KeyState<C> key = job.key;
        if (key == null) {
            return;
        }
        job.key = null;
        key.jobs--;
        load.left(job.keyName);
        if (key.jobs == 0) {
            keys.idle(key);
        }
        if (!job.counted) {
            key.parkedCount--;
            return;
        }
        job.counted = false;
        key.counted--;
        Job<C> next = key.parkedJobs.poll();
        if (next != null) {
            key.parkedCount--;
            key.counted++;
            next.counted = true;
            if (next.stage == Job.Stage.PARKED) {
                circuit.enter(next);
            }
        }
    }

    /** The call of {@code job} returned: its host slot goes to the next job of the host. */
    void callEnded(Job<C> job) {
        if (hosts != null) {
            Job<C> next = hosts.release(job);
            if (next != null) {
                workers.offer(next);
            }
        }
    }

    /**
     * The worker is done with {@code job}: the job waits {@code decision}'s delay for its next attempt, or it is
     * over and its ordering key's next job goes on.
     *
     * @param decision what the policy decided; null when no attempt was made because the job was abandoned
     */
    void attemptEnded(Job<C> job, Decision decision) {
        Feedback feedback = job.feedback;
        job.feedback = null;
        circuit.record(job, feedback);
        if (feedback != null && job.key != null) {
            rate.feedback(job.key, feedback);
        }
        callEnded(job);
        Job<C> nextOfKey = keyWorkers.release(job);
        workers.freed();
        if (nextOfKey != null) {
            toHost(nextOfKey);
        }
        if (decision instanceof Decision.Retry && (draining || job.drained)) {
            reporter.abandon(job);
            finish(job);
        } else if (decision instanceof Decision.Retry retry && !job.isAbandoned()) {
            job.moveTo(Job.Stage.RETRY);
            reporter.retryScheduled(job, retry.delay());
            scheduler.schedule(retry.delay().toNanos(), () -> retryDue(job));
        } else {
            finish(job);
        }
    }

    /**
     * Abandons the live jobs whose context matches: each is told to the listener once and gets no outcome. Waiting
     * jobs leave their gates at once (their ordering key and host slot go to the next jobs); a running job's call
     * goes on, and its key is given up when it ends.
     *
     * <p>All matching jobs are abandoned before any leaves its gates, so none of them is started on the way.
     *
     * @return how many jobs were abandoned
     * @throws RuntimeException what {@code which} throws; the jobs it matched before are abandoned all the same
     */
    int abandon(Predicate<C> which) {
        return abandonJobs(job -> which.test(job.context));
    }

    /**
     * Stops starting attempts, for a shutdown: every job not in a call is abandoned now, new jobs are abandoned as
     * they come, and a job whose call ends in a decision to retry is abandoned then. Calls in progress finish and
     * their final outcomes are reported as usual.
     *
     * @return how many jobs were abandoned now
     */
    int drain() {
        draining = true;
        return drain(context -> true);
    }

    /**
     * {@link #drain()} for the live jobs whose context matches, for a revocation: those not in a call are abandoned
     * now; those in a call are abandoned if it ends in a decision to retry. New jobs are not affected.
     *
     * @return how many jobs were abandoned now
     */
    int drain(Predicate<C> which) {
        live.forEach(job -> {
            if (job.stage == Job.Stage.RUNNING && which.test(job.context)) {
                job.drained = true;
            }
        });
        return abandonJobs(job -> job.stage != Job.Stage.RUNNING && which.test(job.context));
    }

    private int abandonJobs(Predicate<Job<C>> which) {
        List<Job<C>> abandoned = new ArrayList<>();
        try {
            live.forEach(job -> {
                if (which.test(job) && reporter.abandon(job)) {
                    live.remove(job);
                    abandoned.add(job);
                }
            });
        } finally {
            for (Job<C> job : abandoned) {
                if (job.stage == Job.Stage.BEHIND_KEY) {
                    leaveKey(job);
                    job.moveTo(Job.Stage.FINISHED); // its key's queue skips it when its turn comes
                } else if (job.stage != Job.Stage.RUNNING) {
                    circuit.forgo(job);
                    callEnded(job);
                    Job<C> nextOfKey = keyWorkers.release(job);
                    finish(job);
                    if (nextOfKey != null) {
                        toHost(nextOfKey);
                    }
                }
            }
        }
        return abandoned.size();
    }

    /**
     * The job has its tokens, or needs none: on to its key's share of the workers, a slot of its host, then a
     * worker. If its host's circuit opened while it waited for the tokens, it goes back to wait for the circuit (the
     * token is not given back: spending fewer than the rate allows is safe).
     */
    private void tokensTaken(Job<C> job) {
        boolean expiredNow = expired.test(job);
        if (!expiredNow && circuit.isOpen(job)) {
            circuit.forgo(job);
            circuit.enter(job);
            return;
        }
        if (expiredNow) {
            workers.offer(job);
        } else if (keyWorkers.enter(job)) {
            toHost(job);
        }
    }

    /** The job has its place among its key's workers: on to a slot of its host, then to a worker. */
    private void toHost(Job<C> job) {
        if (hosts == null || hosts.enter(job)) {
            workers.offer(job);
        }
    }

    private void retryDue(Job<C> job) {
        if (job.stage == Job.Stage.RETRY) {
            circuit.enter(job);
        }
    }

    private void finish(Job<C> job) {
        job.moveTo(Job.Stage.FINISHED);
        live.remove(job);
        leaveKey(job);
        Job<C> next = order.leave(job);
        if (next != null) {
            proceed(next);
        }
    }
}
