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
 *   <li>everything that limits its call allowing it at once ({@link CallGate}), for every attempt: its host not
 *       paused, its host's circuit permitting a call, a token of its host's adaptive rate, of its key's bucket and of
 *       the global bucket;
 *   <li>a call slot of its host ({@link HostSlots}): at most {@code courier.http.per-host-concurrency}, and once
 *       there are other hosts, a quarter of the workers stay for those, so that a host whose calls are slow cannot
 *       hold every worker;
 *   <li>a free worker ({@link WorkerGate}), which looks once more whether the host was paused meanwhile, and if so
 *       sends the job back to its host's gate without a call.
 * </ol>
 *
 * After each attempt, what it said (pushback, a failure) goes back to the host that answered: its circuit and its
 * adaptive rate; a pause it asked for was set by the worker already. Rate-limit keys are budgets only: no answer
 * changes one. A job whose deadline has passed skips the circuit, the tokens and the slot: its worker reports it
 * expired without a call. Waiting at any gate, or for the delay before a retry, holds no thread. Every per-key and
 * per-host table is bounded ({@link Keys}, {@link Hosts}).
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
    private final Hosts<C> hosts;
    private final KeyLoad load;
    private final int perKey;
    private final boolean groupScope;
    private final CallGate<C> gate;
    private final HostFeedback<C> feedback;
    private final HostSlots<C> slots;
    private final WorkerGate<C> workers;
    private final Predicate<Job<C>> expired;
    private boolean draining;

    /**
     * @param expired  whether a job's deadline has passed
     * @param load     the submitting threads' view of each key's jobs, told when a job leaves
     * @param clock    the wall clock deadlines are read against
     * @param circuits hears of hosts' circuits opening and closing
     */
    Pipeline(Settings settings, Scheduler scheduler, WorkerGate<C> workers, Reporter<C> reporter,
            Predicate<Job<C>> expired, KeyLoad load, Clock clock, HostFeedback.CircuitListener circuits) {
        this.scheduler = scheduler;
        this.reporter = reporter;
        this.workers = workers;
        this.expired = expired;
        this.load = load;
        this.perKey = settings.dispatch().maxInFlightPerKey();
        this.groupScope = settings.rate().scope() == RateScope.GROUP;
        this.gate = new CallGate<>(settings.rate(), scheduler, this::mayCall, expired, clock, reporter::rateLimited);
        this.keys = new Keys<>(settings.rate().maxKeys(), gate::newKey);
        this.feedback = new HostFeedback<>(settings.circuit(), settings.rate().adaptive(), gate.floor(), scheduler,
                gate, circuits);
        this.hosts = new Hosts<>(settings.rate().maxKeys(), feedback::newHost, scheduler::nanoTime);
        this.slots = new HostSlots<>(settings.dispatch().workers(), settings.http().perHostConcurrency(), hosts::size);
    }

    /** This instance's share of the group's budgets changed; ignored in {@code instance} scope. */
    void share(RateShare share) {
        if (groupScope) {
            gate.share(share, keys);
            feedback.floor(gate.floor(), hosts);
        }
    }

    /** What the dispatcher knows of every key and host now. */
    DispatchState state() {
        long now = scheduler.nanoTime();
        List<DispatchState.KeyStatus> keyStatuses = new ArrayList<>();
        keys.forEach(key -> keyStatuses.add(new DispatchState.KeyStatus(key.name, finiteOrZero(key.configured),
                key.jobs, key.parkedCount)));
        List<DispatchState.HostStatus> hostStatuses = new ArrayList<>();
        hosts.forEach(host -> {
            String circuit = host.circuit == null ? "CLOSED" : host.circuit.state().name();
            hostStatuses.add(new DispatchState.HostStatus(host.name, finiteOrZero(host.rate.rate()),
                    host.isPaused(now) ? Duration.ofNanos(host.pausedUntil() - now) : Duration.ZERO, circuit,
                    host.waiting(), host.openLogged ? Duration.ofNanos(now - host.openedAt) : Duration.ZERO));
        });
        return new DispatchState(keyStatuses, hostStatuses);
    }

    private static double finiteOrZero(double rate) {
        return Double.isInfinite(rate) ? 0 : rate;
    }

    /** A new job: it starts when its ordering key's turn comes; while draining, it is abandoned at once. */
    void admit(Job<C> job) {
        if (draining) {
            reporter.abandon(job);
            load.left(job.load);
            return;
        }
        live.add(job);
        KeyState<C> key = keys.get(job.keyName);
        job.key = key;
        job.host = hosts.enter(job.request.url(), key.lastHost);
        key.lastHost = job.host;
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

    /** The job's ordering turn came: on to the call gate, unless it is parked. */
    private void proceed(Job<C> job) {
        if (!job.counted) {
            job.moveTo(Job.Stage.PARKED);
            return;
        }
        gate.enter(job);
    }

    /** The job leaves the dispatcher: its key's and host's counts go down, and the key's oldest parked job counts. */
    private void leave(Job<C> job) {
        KeyState<C> key = job.key;
        if (key == null) {
            return;
        }
        job.key = null;
        hosts.left(job.host);
        key.jobs--;
        load.left(job.load);
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
                gate.enter(next);
            }
        }
    }

    /**
     * The worker is done with {@code job}: the job waits {@code decision}'s delay for its next attempt, goes back to
     * the call gate (its host was paused before the call), or it is over and its ordering key's next job goes on.
     *
     * @param decision what the policy decided; null when no attempt was made because the job was abandoned
     */
    void attemptEnded(Job<C> job, Decision decision) {
        Feedback said = job.feedback;
        job.feedback = null;
        feedback.answered(job, said);
        Job<C> nextOfHost = slots.release(job);
        workers.freed();
        if (nextOfHost != null) {
            workers.offer(nextOfHost);
        }
        if ((decision instanceof Decision.Retry || decision == Decision.DEFERRED) && (draining || job.drained)) {
            reporter.abandon(job);
            finish(job);
        } else if (decision == Decision.DEFERRED && !job.isAbandoned()) {
            gate.enter(job);
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
                    leave(job);
                    job.moveTo(Job.Stage.FINISHED); // its key's queue skips it when its turn comes
                } else if (job.stage != Job.Stage.RUNNING) {
                    feedback.forgo(job);
                    Job<C> nextOfHost = slots.release(job);
                    finish(job);
                    if (nextOfHost != null) {
                        workers.offer(nextOfHost);
                    }
                }
            }
        }
        return abandoned.size();
    }

    /** The job may be called, or needs no call (its deadline passed): on to a slot of its host, then a worker. */
    private void mayCall(Job<C> job) {
        if (expired.test(job) || slots.enter(job)) {
            workers.offer(job);
        }
    }

    private void retryDue(Job<C> job) {
        if (job.stage == Job.Stage.RETRY) {
            gate.enter(job);
        }
    }

    private void finish(Job<C> job) {
        job.moveTo(Job.Stage.FINISHED);
        live.remove(job);
        leave(job);
        Job<C> next = order.leave(job);
        if (next != null) {
            proceed(next);
        }
    }
}
