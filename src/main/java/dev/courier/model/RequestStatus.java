package dev.courier.model;

import java.time.Instant;
import java.util.Objects;

/**
 * What became of one request event so far: one record of the status topic, keyed by the request's id. Courier writes
 * one with each outcome, one when an event starts waiting for a retry, and {@code courier replay} one for each event
 * it replays; of the records of one id, the one written last is its status. Nothing in it can hold a secret: no
 * body and no header, and the codec writes its message redacted as in dead letters. Immutable.
 *
 * @param id             the request's id
 * @param state          where it stands
 * @param replayCount    how many times it was replayed from the dead-letter topic
 * @param statusCode     HTTP status of the last attempt that got a response, or null
 * @param attempts       HTTP attempts made so far
 * @param category       why it failed (a {@link FailureCategory} name), or null unless {@link State#FAILED}
 * @param message        what went wrong (failed) or with the last attempt (retrying), or null
 * @param requestedAt    the request record's timestamp, or null
 * @param firstAttemptAt when the first attempt started, or null
 * @param lastAttemptAt  when the last attempt started, or null
 * @param nextAttemptAt  when the next attempt is due, or null unless {@link State#RETRYING}
 * @param updatedAt      when this status was written
 * @param request        where the request record is, or null
 * @param outcome        where the result or dead letter is, or null unless succeeded or failed
 */
public record RequestStatus(String id, State state, int replayCount, Integer statusCode, int attempts,
        String category, String message, Instant requestedAt, Instant firstAttemptAt, Instant lastAttemptAt,
        Instant nextAttemptAt, Instant updatedAt, Position request, Position outcome) {

    /** Where a request stands. */
    public enum State {
        /** Replayed, and not processed yet. */
        PENDING,
        /** An attempt failed, and the next one is due at {@link #nextAttemptAt}. */
        RETRYING,
        /** A result was published. */
        SUCCEEDED,
        /** A dead letter was published. */
        FAILED;

        /** Whether an outcome was published. */
        public boolean isFinal() {
            return this == SUCCEEDED || this == FAILED;
        }
    }

    /**
     * Where a record is.
     *
     * @param topic     the topic's name
     * @param partition the partition, or null when the writer could not know it
     * @param offset    the record's offset, or null when the writer could not know it
     */
    public record Position(String topic, Integer partition, Long offset) {

        public Position {
            Objects.requireNonNull(topic, "topic");
        }

        /** Where the request record of {@code source} is. */
        public static Position of(Source source) {
            return new Position(source.topic(), source.partition(), source.offset());
        }
    }

    public RequestStatus {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }
}
