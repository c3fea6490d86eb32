package dev.courier.intake;

import dev.courier.model.AttemptResult;
import dev.courier.model.DispatchRequest;
import dev.courier.model.Outcome;
import dev.courier.publish.Origin;
import java.util.Collection;
import org.apache.kafka.common.TopicPartition;

/**
 * Hears what the engine does, for metrics, logs and progress displays. Every method has a no-op
 * default. Methods are called on the engine's own threads and must return quickly.
 */
public interface EngineListener {

    EngineListener NONE = new EngineListener() {
    };

    /** An event was taken from Kafka (intake thread). */
    default void onTaken(Origin origin) {
    }

    /** One HTTP attempt ended (a worker thread). */
    default void onAttempt(DispatchRequest request, int attempt, AttemptResult result) {
    }

    /** The event's outcome was acknowledged by the broker (the producer's I/O thread). */
    default void onPublished(Origin origin, Outcome outcome) {
    }

    /** Partitions were assigned to this instance (intake thread). */
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
}
