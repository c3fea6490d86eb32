package dev.courier.dispatch;

import dev.courier.model.AttemptResult;
import dev.courier.model.DispatchRequest;
import dev.courier.model.Outcome;

/**
 * Hears what becomes of the events given to the dispatcher.
 *
 * @param <C> the caller's context for each event (for the engine: where the event came from)
 */
public interface DispatchListener<C> {

    /**
     * The event's one outcome. Called exactly once per event that was neither abandoned nor still
     * running when the dispatcher closed, on a dispatcher worker thread; it may block briefly (to hand
     * the outcome to a publisher), which holds that worker.
     */
    void onOutcome(C context, DispatchRequest request, Outcome outcome);

    /**
     * The event was abandoned before its outcome (see {@link Dispatcher#abandon}); it gets no outcome. Called on the
     * dispatch thread, so it must not block.
     */
    default void onAbandoned(C context) {
    }

    /**
     * The event may be left without an outcome: {@link #onOutcome} threw for it, or an {@link Error} ended its
     * attempt. For the engine, a reason to stop rather than leave the event's partition stuck behind it. Called on
     * the worker thread, after the dispatcher logged the error.
     */
    default void onOutcomeFailed(C context, Throwable error) {
    }

    /** One attempt ended; for metrics and progress. Called on a worker thread before the decision is acted on. */
    default void onAttempt(C context, DispatchRequest request, int attempt, AttemptResult result) {
    }

    /**
     * The event's next attempt is due after {@code delay}; for metrics. Called on the dispatch thread, so it must not
     * block.
     *
     * @param attempt the number of the attempt that is due (2 for the first retry)
     */
    default void onRetryScheduled(C context, DispatchRequest request, int attempt, java.time.Duration delay) {
    }

    /**
     * An attempt of the event waited {@code waited} for a token of its rate limits before it could start; for
     * metrics. Called on the dispatch thread, so it must not block.
     *
     * @param key the rate-limit key whose bucket it waited for, or null when only the global bucket applies
     */
    default void onRateLimited(C context, DispatchRequest request, String key, java.time.Duration waited) {
    }
}
