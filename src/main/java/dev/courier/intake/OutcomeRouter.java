package dev.courier.intake;

import dev.courier.dispatch.DispatchListener;
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
 * bound. Thread-safe.
 */
final class OutcomeRouter implements DispatchListener<Origin> {

    private final OutcomePublisher publisher;
    private final OffsetTracker tracker;
    private final EngineListener listener;

    OutcomeRouter(OutcomePublisher publisher, OffsetTracker tracker, EngineListener listener) {
        this.publisher = publisher;
        this.tracker = tracker;
        this.listener = listener;
    }

    /**
     * Intake took the event: it is in flight until its outcome is covered by the next commit, or it is
     * abandoned or dropped.
     *
     * @return false when the event was finished before (by a previous owner, as the committed metadata
     *         says): it is not in flight and must not be processed again
     */
    boolean taken(Origin origin) {
        if (!tracker.take(partition(origin), origin.source().offset())) {
            return false;
        }
        listener.onTaken(origin);
        return true;
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
    public void onAbandoned(Origin origin) {
        tracker.abandon(partition(origin), origin.source().offset(), origin.epoch());
    }

    @Override
    public void onAttempt(Origin origin, DispatchRequest request, int attempt, AttemptResult result) {
        listener.onAttempt(request, attempt, result);
    }

    static TopicPartition partition(Origin origin) {
        return new TopicPartition(origin.source().topic(), origin.source().partition());
    }
}
