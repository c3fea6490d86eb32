package dev.courier.status;

import java.time.Instant;
import java.util.Objects;

/**
 * What became of one request, as the status view keeps it: the latest of what the requests, results and
 * dead-letter topics said about its id. Immutable.
 *
 * <p>How two facts about the same id combine ({@link #then}): the one about the later replay wins (a replayed
 * request is pending again, whatever its earlier outcome); at the same replay count an outcome wins over the
 * request (the topics are read side by side, so a result may be read before its request), and of two outcomes the
 * one read later. Where the request was read is kept from the request record of the highest replay count.
 *
 * @param id             the request's id
 * @param state          pending, succeeded or failed
 * @param replayCount    how many times the request was replayed from the dead-letter topic
 * @param requestedAt    when the request record was written (its timestamp), or null when only its outcome was read
 * @param request        where the request record is, or null
 * @param statusCode     HTTP status of the last attempt that got a response, or null
 * @param attempts       attempts made, or null while pending
 * @param firstAttemptAt when the first attempt started, or null
 * @param lastAttemptAt  when the last attempt started, or null
 * @param completedAt    when the outcome record was written (its timestamp), or null while pending
 * @param category       the failure category of a failed request, or null
 * @param errorMessage   what went wrong, redacted, or null
 * @param outcome        where the outcome record is, or null while pending
 * @param updatedAt      the timestamp of the latest record about this id; retention counts from it
 */
record RequestStatus(String id, State state, int replayCount, Instant requestedAt, Location request,
        Integer statusCode, Integer attempts, Instant firstAttemptAt, Instant lastAttemptAt, Instant completedAt,
        String category, String errorMessage, Location outcome, Instant updatedAt) {

    /** Where a request stands. */
    enum State {
        /** Its request was read; no outcome yet (or it was replayed since its last outcome). */
        PENDING,
        /** A result was published. */
        SUCCEEDED,
        /** A dead letter was published. */
        FAILED
    }

    /**
     * Where a record is.
     *
     * @param topic     the topic's name
     * @param partition the partition
     * @param offset    the record's offset
     */
    record Location(String topic, int partition, long offset) {

        public Location {
            Objects.requireNonNull(topic, "topic");
        }
    }

    public RequestStatus {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /** A request record: the request is pending. */
    static RequestStatus pending(String id, int replayCount, Location request, Instant writtenAt) {
        return new RequestStatus(id, State.PENDING, replayCount, writtenAt, request, null, null, null, null, null,
                null, null, null, writtenAt);
    }

    /** This status with {@code later}, a fact about the same id read after it, taken into account. */
    RequestStatus then(RequestStatus later) {
        if (!later.id.equals(id)) {
            throw new IllegalArgumentException("statuses of two ids: " + id + ", " + later.id);
        }
        boolean laterWins = later.replayCount > replayCount
                || (later.replayCount == replayCount && (later.state != State.PENDING || state == State.PENDING));
        RequestStatus winner = laterWins ? later : this;
        boolean laterRequest = later.request != null && (request == null || later.replayCount >= replayCount);
        Instant updated = later.updatedAt.isAfter(updatedAt) ? later.updatedAt : updatedAt;
        return new RequestStatus(id, winner.state, Math.max(replayCount, later.replayCount),
                laterRequest ? later.requestedAt : requestedAt, laterRequest ? later.request : request,
                winner.statusCode, winner.attempts, winner.firstAttemptAt, winner.lastAttemptAt, winner.completedAt,
                winner.category, winner.errorMessage, winner.outcome, updated);
    }
}
