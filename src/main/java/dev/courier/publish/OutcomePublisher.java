package dev.courier.publish;

import dev.courier.model.Outcome;
import java.time.Duration;

/**
 * Publishes each event's one outcome: a result to the results topic or a dead letter to the
 * dead-letter topic, keyed by the request record's key (so outcomes are co-partitioned with their
 * requests), with the request id, correlation id and trace context as headers.
 *
 * <p>{@link AtLeastOncePublisher} makes each outcome visible as soon as the broker has it;
 * {@link TransactionalPublisher} writes outcomes and consumed offsets in one transaction. Thread-safe.
 */
public interface OutcomePublisher extends AutoCloseable {

    /**
     * Publishes the outcome of the event from {@code origin}. Returns at once, unless the producer's buffer
     * is full or a transaction is committing; {@code progress} hears what becomes of it.
     *
     * @param targetHost the host the call went to, for a result; may be null for a dead letter
     */
    void publish(Origin origin, String targetHost, Outcome outcome, Progress progress);

    /**
     * How long publishing has been failing in a way Courier rides out (the broker does not answer; in exactly-once
     * mode, a commit, an abort or a new producer stays pending), with what fails; {@link Stall#NONE} while it works.
     * Any thread.
     */
    default Stall stall() {
        return Stall.NONE;
    }

    /**
     * A stretch of failures the publisher rides out.
     *
     * @param duration how long it has lasted; zero when there is none
     * @param what     what fails, in words
     */
    record Stall(Duration duration, String what) {

        public static final Stall NONE = new Stall(Duration.ZERO, "nothing");
    }

    /** Waits for the outcomes sent so far, at most {@code timeout}, and closes the producer. */
    void close(Duration timeout);

    @Override
    default void close() {
        close(Duration.ofSeconds(10));
    }

    /**
     * What becomes of one outcome. Exactly one of {@link #covered()} (followed by {@link #visible()}) and
     * {@link #dropped()} is called. Callbacks run on producer, worker or intake threads and must be quick.
     */
    interface Progress {

        /** The next commit of consumed offsets may include the event: its outcome is durable with it. */
        void covered();

        /** Readers can see the outcome: at once for at-least-once, when its transaction commits otherwise. */
        default void visible() {
        }

        /** The outcome will not be published by this instance; the event is left to be redone. */
        void dropped();
    }
}
