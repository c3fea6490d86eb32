package dev.courier.dispatch;

import dev.courier.http.HttpCaller;
import dev.courier.model.AttemptResult;
import dev.courier.model.AttemptResult.Failure;
import dev.courier.model.AttemptResult.Response;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.IntPredicate;
import java.util.function.LongSupplier;
import dev.courier.model.FailureCategory;
import dev.courier.model.Outcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a worker does with a job: makes its next attempt, lets the {@link RetryPolicy} decide what follows, and
 * delivers the outcome when there is one. Thread-safe; runs on the worker threads.
 */
final class AttemptRunner<C> {

    private static final Logger LOG = LoggerFactory.getLogger(AttemptRunner.class);

    private final HttpCaller caller;
    private final RetryPolicy policy;
    private final Reporter<C> reporter;
    private final Clock clock;
    private final LongSupplier nanoTime;
    private final Duration pauseMax;
    private final IntPredicate success;

    /**
     * @param nanoTime the dispatcher's monotonic clock, which hosts' pauses are kept in
     * @param pauseMax the longest pause an answer may ask of its host ({@code courier.retry.retry-after-max})
     * @param success  the statuses that are a success, for the host's adaptive rate
     */
    AttemptRunner(HttpCaller caller, RetryPolicy policy, Reporter<C> reporter, Clock clock, LongSupplier nanoTime,
            Duration pauseMax, IntPredicate success) {
        this.caller = caller;
        this.policy = policy;
        this.reporter = reporter;
        this.clock = clock;
        this.nanoTime = nanoTime;
        this.pauseMax = pauseMax;
        this.success = success;
    }

    /** Whether the deadline of {@code job} has passed, so that no attempt of it may start. Any thread. */
    boolean isExpired(Job<C> job) {
        return job.request.deadline() != null && policy.isExpired(job.request, clock.instant());
    }

    /**
     * Makes the next attempt of {@code job} and decides what follows. Makes none when the job was abandoned (and
     * returns null), when its deadline has passed (and decides it expired), or when its host was paused since the
     * job passed its gate ({@link Decision#DEFERRED}: it goes back to wait, its attempts unused). When the answer
     * asks for a pause, the host is paused before this returns, so no attempt checked afterwards calls it.
     */
    Decision attempt(Job<C> job) {
        if (job.isAbandoned()) {
            return null;
        }
        Instant start = clock.instant();
        if (policy.isExpired(job.request, start)) {
            return withCircuitNote(job, new Decision.Done(policy.expired(job.request, job.attempts, job.lastStatus)));
        }
        if (job.host.everPaused() && job.host.isPaused(nanoTime.getAsLong())) {
            return Decision.DEFERRED;
        }
        int attempt = job.attempts.count() + 1;
        job.attempts = job.attempts.plus(start);
        AttemptResult result = call(job, attempt, start);
        Integer earlierStatus = job.lastStatus;
        if (result instanceof Response response) {
            job.lastStatus = response.status();
        }
        Instant end = clock.instant();
        Feedback feedback = Feedback.of(result, end, success);
        if (feedback.pause() != null) {
            long now = nanoTime.getAsLong();
            Duration pause = feedback.pause().compareTo(pauseMax) > 0 ? pauseMax : feedback.pause();
            job.host.pauseUntil(now + pause.toNanos(), now);
        }
        job.feedback = feedback;
        Decision decision = withCircuitNote(job, policy.decide(job.request, job.attempts, earlierStatus, result, end));
        reporter.attempted(job, attempt, result);
        return decision;
    }

    /** An event that waited at its host's open circuit and then expired or ran out of attempts says so. */
    private static Decision withCircuitNote(Job<?> job, Decision decision) {
        if (job.circuitWaited && decision instanceof Decision.Done done
                && done.outcome() instanceof Outcome.DeadLetter dead
                && (dead.category() == FailureCategory.EXPIRED
                        || dead.category() == FailureCategory.RETRIES_EXHAUSTED)) {
            return new Decision.Done(new Outcome.DeadLetter(dead.category(), dead.lastStatus(), dead.message()
                    + "; the circuit of host " + job.request.host() + " was open (too many of its calls failed), and"
                    + " the event waited for it", dead.attempts()));
        }
        return decision;
    }

    /** Delivers the outcome when {@code decision} is final. */
    void report(Job<C> job, Decision decision) {
        if (decision instanceof Decision.Done done) {
            reporter.outcome(job, done.outcome());
        }
    }

    /** The caller's result; a caller that throws (a bug: it must not) counts as a call that may have been delivered. */
    private AttemptResult call(Job<C> job, int attempt, Instant start) {
        try {
            return caller.call(job.request, attempt);
        } catch (RuntimeException e) {
            LOG.error("The HTTP caller threw on attempt {} of request {}", attempt, job.request.id(), e);
            return new Failure(Failure.Kind.MAYBE_DELIVERED, "the HTTP caller failed: " + e,
                    start, Duration.between(start, clock.instant()));
        }
    }
}
