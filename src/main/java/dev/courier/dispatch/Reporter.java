package dev.courier.dispatch;

import dev.courier.model.AttemptResult;
import dev.courier.model.Outcome;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one caller of the {@link DispatchListener}: each event gets exactly one of {@code onOutcome} and
 * {@code onAbandoned}, and nothing once the dispatcher is closed. Counts the events in flight. A listener that throws
 * is logged; the event still counts as reported, and when it threw on an outcome the listener hears of it
 * ({@code onOutcomeFailed}), so the event is not silently left without one. Thread-safe.
 */
final class Reporter<C> {

    private static final Logger LOG = LoggerFactory.getLogger(Reporter.class);

    private final DispatchListener<C> listener;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean closed;

    Reporter(DispatchListener<C> listener) {
        this.listener = listener;
    }

    /** Events submitted and not yet reported or abandoned. */
    int inFlight() {
        return inFlight.get();
    }

    void submitted() {
        inFlight.incrementAndGet();
    }

    /** Tells the listener about an attempt of a job that is not abandoned. Worker thread. */
    void attempted(Job<C> job, int attempt, AttemptResult result) {
        if (closed || job.isAbandoned()) {
            return;
        }
        try {
            listener.onAttempt(job.context, job.request, attempt, result);
        } catch (RuntimeException e) {
            LOG.error("The dispatch listener failed on an attempt of request {}", job.request.id(), e);
        }
    }

    /** Tells the listener that {@code job}'s next attempt is due after {@code delay}. Dispatch thread. */
    void retryScheduled(Job<C> job, java.time.Duration delay) {
        if (closed || job.isAbandoned()) {
            return;
        }
        try {
            listener.onRetryScheduled(job.context, job.request, job.attempts.count() + 1, delay);
        } catch (RuntimeException e) {
            LOG.error("The dispatch listener failed on a retry of request {}", job.request.id(), e);
        }
    }

    /** Tells the listener that an attempt of {@code job} waited {@code waitedNanos} for its tokens. Dispatch thread. */
    void rateLimited(Job<C> job, String key, long waitedNanos) {
        if (closed || job.isAbandoned()) {
            return;
        }
        try {
            listener.onRateLimited(job.context, job.request, key, java.time.Duration.ofNanos(waitedNanos));
        } catch (RuntimeException e) {
            LOG.error("The dispatch listener failed on a rate-limit wait of request {}", job.request.id(), e);
        }
    }

    /** Delivers the outcome of {@code job}, unless it was abandoned or the dispatcher closed. Worker thread. */
    void outcome(Job<C> job, Outcome outcome) {
        if (closed || !job.claimOutcome()) {
            return;
        }
        try {
            listener.onOutcome(job.context, job.request, outcome);
        } catch (RuntimeException e) {
            LOG.error("The dispatch listener failed on the outcome of request {}", job.request.id(), e);
            outcomeFailed(job, e);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    /**
     * {@code job} may be left without an outcome because of {@code error}: it counts as reported, and the listener
     * hears why. Worker thread.
     */
    void failed(Job<C> job, Throwable error) {
        if (closed || !job.claimOutcome()) {
            return;
        }
        inFlight.decrementAndGet();
        outcomeFailed(job, error);
    }

    private void outcomeFailed(Job<C> job, Throwable error) {
        try {
            listener.onOutcomeFailed(job.context, error);
        } catch (RuntimeException again) {
            LOG.error("The dispatch listener failed on hearing that request {} may have no outcome", job.request.id(),
                    again);
        }
    }

    /**
     * Abandons {@code job} and tells the listener, unless its outcome was already claimed. Dispatch thread.
     *
     * @return whether the job is now abandoned
     */
    boolean abandon(Job<C> job) {
        if (!job.abandon()) {
            return false;
        }
        inFlight.decrementAndGet();
        if (!closed) {
            try {
                listener.onAbandoned(job.context);
            } catch (RuntimeException e) {
                LOG.error("The dispatch listener failed on abandoning request {}", job.request.id(), e);
            }
        }
        return true;
    }

    /** From now on the listener hears nothing. */
    void close() {
        closed = true;
    }
}
