package dev.courier.model;

import java.time.Instant;
import java.util.Objects;

/**
 * Everything a dead letter records about a failed event.
 *
 * @param requestId   the event's id, or null when it could not be decoded
 * @param request     the event as its producer wrote it, or null when it could not be decoded or was too large to
 *                    keep (then {@code requestId} and {@code source} say which event it was)
 * @param rawKey      the record's key as received, or null
 * @param rawValue    the record's value as received when the event could not be decoded, else null
 * @param failure     why the event failed, and its attempts
 * @param failedAt    when Courier gave up
 * @param source      where the event was read
 * @param replayCount how many times the event had been replayed before
 */
public record DeadLetterEntry(String requestId, RequestSpec request, Bytes rawKey, Bytes rawValue,
        Outcome.DeadLetter failure, Instant failedAt, Source source, int replayCount) {

    public DeadLetterEntry {
        Objects.requireNonNull(failure, "failure");
        Objects.requireNonNull(failedAt, "failedAt");
        Objects.requireNonNull(source, "source");
        if (request != null && !request.id().equals(requestId)) {
            throw new IllegalArgumentException("requestId " + requestId + " is not the request's id " + request.id());
        }
        if (requestId == null && rawValue == null && failure.category() != FailureCategory.UNDECODABLE) {
            throw new IllegalArgumentException("a dead letter keeps the request, its id or its raw value");
        }
    }

    /** The dead letter of {@code request} (or of the raw value, when {@code request} is null), whole. */
    public DeadLetterEntry(RequestSpec request, Bytes rawKey, Bytes rawValue, Outcome.DeadLetter failure,
            Instant failedAt, Source source, int replayCount) {
        this(request == null ? null : request.id(), request, rawKey, rawValue, failure, failedAt, source,
                replayCount);
    }
}
