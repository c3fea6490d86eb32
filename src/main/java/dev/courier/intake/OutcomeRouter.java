package dev.courier.intake;

import dev.courier.dispatch.DispatchListener;
import dev.courier.model.AttemptResult;
import dev.courier.model.DispatchRequest;
import dev.courier.model.Outcome;
import dev.courier.publish.Origin;
import dev.courier.publish.OutcomePublisher;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.TopicPartition;

/**
 * Takes each outcome to the publisher and, once the broker has it, marks the event finished: its
 * offset becomes committable and it stops counting as in flight.
 *
 * <p>The in-flight count covers every event from the moment intake takes it until its outcome is
 * acknowledged or it is abandoned; intake pauses on it. Thread-safe.
 */
final class OutcomeRouter implements DispatchListener<Origin> {

    private final OutcomePublisher publisher;
    private final OffsetTracker tracker;
    private final EngineListener listener;
    private final AtomicInteger inFlight = new AtomicInteger();

    OutcomeRouter(OutcomePublisher publisher, OffsetTracker tracker, EngineListener listener) {
        this.publisher = publisher;
        this.tracker = tracker;
        this.listener = listener;
    }

    /** Intake took the event: it is in flight until {@link #publish} completes or it is abandoned. */
    void taken(Origin origin) {
        inFlight.incrementAndGet();
        tracker.take(partition(origin), origin.source().offset());
        listener.onTaken(origin);
    }

    /** Publishes the outcome; the event finishes when the broker acknowledges it. */
    void publish(Origin origin, String targetHost, Outcome outcome) {
        publisher.publish(origin, targetHost, outcome, () -> {
            tracker.finish(partition(origin), origin.source().offset());
            inFlight.decrementAndGet();
            listener.onPublished(origin, outcome);
        });
    }

    int inFlight() {
        return inFlight.get();
    }

    @Override
    public void onOutcome(Origin origin, DispatchRequest request, Outcome outcome) {
        publish(origin, request.host(), outcome);
    }

    @Override
    public void onAbandoned(Origin origin) {
        tracker.abandon(partition(origin), origin.source().offset());
        inFlight.decrementAndGet();
    }

    @Override
    public void onAttempt(Origin origin, DispatchRequest request, int attempt, AttemptResult result) {
        listener.onAttempt(request, attempt, result);
    }

    static TopicPartition partition(Origin origin) {
        return new TopicPartition(origin.source().topic(), origin.source().partition());
    }
}
