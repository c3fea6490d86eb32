package dev.courier.intake;

import dev.courier.model.AttemptResult;
import dev.courier.model.DispatchRequest;
import dev.courier.model.Outcome;
import dev.courier.publish.Origin;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * Hears what the engine does, for metrics, logs and progress displays. Every method has a no-op
 * default. Methods are called on the engine's own threads and must return quickly.
 */
public interface EngineListener {

    EngineListener NONE = new EngineListener() {
    };

    /**
     * One listener that tells each of {@code listeners}, in order, everything it hears. A listener that throws stops
     * the ones after it from hearing that call, as a single listener's throw would.
     */
    static EngineListener all(EngineListener... listeners) {
        List<EngineListener> each = List.of(listeners);
        return new EngineListener() {
            @Override
            public void onTaken(Origin origin) {
                each.forEach(listener -> listener.onTaken(origin));
            }

            @Override
            public void onAttempt(DispatchRequest request, int attempt, AttemptResult result) {
                each.forEach(listener -> listener.onAttempt(request, attempt, result));
            }

            @Override
            public void onRetryScheduled(DispatchRequest request, int attempt, Duration delay) {
                each.forEach(listener -> listener.onRetryScheduled(request, attempt, delay));
            }

            @Override
            public void onRateLimited(DispatchRequest request, String key, Duration waited) {
                each.forEach(listener -> listener.onRateLimited(request, key, waited));
            }

            @Override
            public void onPublished(Origin origin, Outcome outcome) {
                each.forEach(listener -> listener.onPublished(origin, outcome));
            }

            @Override
            public void onAssigned(Collection<TopicPartition> partitions) {
                each.forEach(listener -> listener.onAssigned(partitions));
            }

            @Override
            public void onRevoked(Collection<TopicPartition> partitions) {
                each.forEach(listener -> listener.onRevoked(partitions));
            }

            @Override
            public void onLost(Collection<TopicPartition> partitions) {
                each.forEach(listener -> listener.onLost(partitions));
            }

            @Override
            public void onCommitted(Duration took) {
                each.forEach(listener -> listener.onCommitted(took));
            }

            @Override
            public void onTransactionAborted() {
                each.forEach(EngineListener::onTransactionAborted);
            }

            @Override
            public void onPolled(IntakeView view) {
                each.forEach(listener -> listener.onPolled(view));
            }
        };
    }

    /** An event was taken from Kafka (intake thread). */
    default void onTaken(Origin origin) {
    }

    /** One HTTP attempt ended (a worker thread). */
    default void onAttempt(DispatchRequest request, int attempt, AttemptResult result) {
    }

    /**
     * The event's next attempt is due after {@code delay} (the dispatch thread; must not block).
     *
     * @param attempt the number of the attempt that is due: 2 for the first retry
     */
    default void onRetryScheduled(DispatchRequest request, int attempt, Duration delay) {
    }

    /**
     * An attempt of the event waited {@code waited} for a token of its rate limits (the dispatch thread; must not
     * block).
     *
     * @param key the rate-limit key whose bucket it waited for; null when only the global bucket applies
     */
    default void onRateLimited(DispatchRequest request, String key, Duration waited) {
    }

    /** The event's outcome was acknowledged by the broker (the producer's I/O thread). */
    default void onPublished(Origin origin, Outcome outcome) {
    }

    /**
     * Partitions were assigned to this instance (intake thread); none at the end of a rebalance that left its
     * partitions as they were.
     */
    default void onAssigned(Collection<TopicPartition> partitions) {
    }

    /** Partitions were taken from this instance, cleanly or not (intake thread). */
    default void onRevoked(Collection<TopicPartition> partitions) {
    }

    /**
     * Partitions were lost without a clean handover (this instance was dropped from the group); their work in
     * flight is dropped and nothing of it is committed (intake thread). By default the same as {@link #onRevoked}.
     */
    default void onLost(Collection<TopicPartition> partitions) {
        onRevoked(partitions);
    }

    /**
     * A commit of offsets (in exactly-once mode, of the transaction with them) returned after blocking intake for
     * {@code took}: it committed, or had nothing to commit, or stays pending (intake thread).
     */
    default void onCommitted(Duration took) {
    }

    /** A transaction was aborted because its commit failed; its events are redone (intake thread). */
    default void onTransactionAborted() {
    }

    /**
     * The intake loop turned: it fed records on and polled (intake thread). Called on every turn, at least every
     * 100 ms while intake runs and is not inside a blocking call, so it must be quick; {@code view} answers only
     * during this call.
     */
    default void onPolled(IntakeView view) {
    }

    /** What the intake thread sees at one turn of its loop. Its methods answer only on the intake thread. */
    interface IntakeView {

        /** Partitions assigned to this instance now. */
        int assigned();

        /** Partitions assigned and paused now (every one, when the in-flight bound is reached). */
        int paused();

        /** Events taken and not yet finished: see {@code courier.max-in-flight}. */
        long inFlight();

        /**
         * Records behind the fetch position of each assigned partition whose lag the consumer knows (it learns it
         * from fetches); computed on each call.
         */
        Map<TopicPartition, Long> lag();

        /** The consumer group generation this instance is a member of; 0 or less when it is not a member. */
        int generation();

        /** How long a commit has been pending (the broker does not answer); zero when none is. */
        Duration commitPendingFor();

        /**
         * How long ago the consumer last heard the group coordinator answer a heartbeat (the client's
         * {@code last-heartbeat-seconds-ago}, in whole seconds), or null when the client does not say.
         */
        Duration sinceHeartbeat();
    }
}
