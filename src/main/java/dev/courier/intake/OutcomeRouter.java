package dev.courier.intake;

import dev.courier.dispatch.DispatchListener;
import dev.courier.intake.PartitionOffsets.Taken;
import dev.courier.model.AttemptResult;
import dev.courier.model.DispatchRequest;
import dev.courier.model.Outcome;
import dev.courier.publish.Origin;
import dev.courier.publish.OutcomePublisher;
import org.apache.kafka.common.TopicPartition;

/**
 * Takes each outcome to the publisher and, once the next commit covers it, marks the event finished:
 * its offset becomes committable. An event counts as in flight from the moment intake takes it until
 * that commit has happened, or it is abandoned or dropped: so a crash redoes at most the in-flight
 * bound. An outcome the publisher throws on (a defect: it turns what it cannot encode into a dead letter)
 * would leave its event without one, so it stops the engine, without a commit. Thread-safe.
 */
final class OutcomeRouter implements DispatchListener<Origin> {

    private final OutcomePublisher publisher;
    private final OffsetTracker tracker;
    private final EngineListener listener;
    private volatile java.util.function.Consumer<Throwable> onFailure = error -> {
    };

    OutcomeRouter(OutcomePublisher publisher, OffsetTracker tracker, EngineListener listener) {
        this.publisher = publisher;
        this.tracker = tracker;
        this.listener = listener;
    }

    /** Who hears an outcome that could not be handed to the publisher: the intake, which stops. */
    void onFailure(java.util.function.Consumer<Throwable> handler) {
        this.onFailure = handler;
    }

    OffsetTracker tracker() {
        return tracker;
    }

    /**
     * Intake took the event: when it is {@link Taken#NEW} it is in flight until its outcome is covered by the next
     * commit, or it is abandoned or dropped. See {@link Taken} for the others.
     */
    Taken taken(Origin origin) {
        Taken taken = tracker.take(partition(origin), origin.source().offset());
        if (taken == Taken.NEW) {
            listener.onTaken(origin);
        }
        return taken;
    }

    /** Publishes the outcome; the event finishes when the next commit covers it. */
    void publish(Origin origin, String targetHost, Outcome outcome) {
        TopicPartition partition = partition(origin);
        long offset = origin.source().offset();
        publisher.publish(origin, targetHost, outcome, new OutcomePublisher.Progress() {
            @Override
            public void covered() {
                tracker.finish(partition, offset, origin.epoch());
            }

            @Override
            public void visible() {
                listener.onPublished(origin, outcome);
            }

            @Override
            public void dropped() {
                tracker.abandon(partition, offset, origin.epoch());
            }
        });
    }

    /** Events taken and neither abandoned nor committed; see {@link OffsetTracker#inFlight()}. */
    long inFlight() {
        return tracker.inFlight();
    }

    @Override
    public void onOutcome(Origin origin, DispatchRequest request, Outcome outcome) {
        publish(origin, request.host(), outcome);
    }

    @Override
    public void onOutcomeFailed(Origin origin, Throwable error) {
        onFailure.accept(error);
    }

    @Override
    public void onAbandoned(Origin origin) {
        tracker.abandon(partition(origin), origin.source().offset(), origin.epoch());
    }

    @Override
    public void onAttempt(Origin origin, DispatchRequest request, int attempt, AttemptResult result) {
        listener.onAttempt(request, attempt, result);
    }

    @Override
    public void onRetryScheduled(Origin origin, DispatchRequest request, int attempt, java.time.Duration delay) {
        listener.onRetryScheduled(request, attempt, delay);
    }

    @Override
    public void onRateLimited(Origin origin, DispatchRequest request, String key, java.time.Duration waited) {
        listener.onRateLimited(request, key, waited);
    }

    static TopicPartition partition(Origin origin) {
        return new TopicPartition(origin.source().topic(), origin.source().partition());
    }
}
