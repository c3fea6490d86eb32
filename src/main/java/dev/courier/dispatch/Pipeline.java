package dev.courier.dispatch;

import dev.courier.config.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Moves each job through the gates between submission and a worker, and back after each attempt:
 *
 * <ol>
 *   <li>its ordering key's turn ({@link OrderGate});
 *   <li>a token from each rate-limit bucket that applies ({@link RateGate}), for every attempt;
 *   <li>a call slot of its host ({@link HostGate}), when the per-host limit is below the number of workers;
 *   <li>a free worker ({@link WorkerGate}).
 * </ol>
 *
 * A job whose deadline has passed skips the tokens and the host slot: its worker reports it expired without a call.
 * Waiting at any gate, or for the delay before a retry, holds no thread.
 *
 * <p>Confinement: all methods run on the dispatch thread, and so does everything they touch (the gates, the live
 * jobs, the links and stages of the jobs); other threads reach it only by posting tasks to the {@link Scheduler}.
 */
final class Pipeline<C> {

    private final Scheduler scheduler;
    private final Reporter<C> reporter;
    private final LiveJobs<C> live = new LiveJobs<>();
    private final OrderGate<C> order = new OrderGate<>();
    private final RateGate<C> rate;
    private final HostGate<C> hosts;
    private final WorkerGate<C> workers;
    private final Predicate<Job<C>> expired;
    private boolean draining;

    /** @param expired whether a job's deadline has passed */
    Pipeline(Settings settings, Scheduler scheduler, WorkerGate<C> workers, Reporter<C> reporter,
            Predicate<Job<C>> expired) {
        this.scheduler = scheduler;
        this.reporter = reporter;
        this.workers = workers;
        this.expired = expired;
        int perHost = settings.http().perHostConcurrency();
        this.hosts = perHost < settings.dispatch().workers() ? new HostGate<>(perHost) : null;
        this.rate = new RateGate<>(settings.rate(), scheduler, this::tokensTaken, expired, reporter::rateLimited);
    }

    /** Whether jobs hold host slots, which {@link #callEnded} gives back. Any thread. */
    boolean limitsHosts() {
        return hosts != null;
    }

    /** A new job: it starts when its ordering key's turn comes; while draining, it is abandoned at once. */
    void admit(Job<C> job) {
        if (draining) {
            reporter.abandon(job);
            return;
        }
        live.add(job);
        if (order.enter(job)) {
            rate.enter(job);
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
        callEnded(job);
        workers.freed();
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
                    job.moveTo(Job.Stage.FINISHED); // its key's queue skips it when its turn comes
                } else if (job.stage != Job.Stage.RUNNING) {
                    callEnded(job);
                    finish(job);
                }
            }
        }
        return abandoned.size();
    }

    /** The job has its tokens, or needs none: on to a slot of its host, then to a worker. */
    private void tokensTaken(Job<C> job) {
        if (hosts == null || expired.test(job) || hosts.enter(job)) {
            workers.offer(job);
        }
    }

    private void retryDue(Job<C> job) {
        if (job.stage == Job.Stage.RETRY) {
            rate.enter(job);
        }
    }

    private void finish(Job<C> job) {
        job.moveTo(Job.Stage.FINISHED);
        live.remove(job);
        Job<C> next = order.leave(job);
        if (next != null) {
            rate.enter(next);
        }
    }
}
