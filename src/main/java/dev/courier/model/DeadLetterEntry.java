package dev.courier.model;

import java.time.Instant;
import java.util.Objects;

/**
 * Everything a dead letter records about a failed event.
 *
 * @param request     the event as its producer wrote it, or null when it could not be decoded
 * @param rawKey      the record's key as received, or null
 * @param rawValue    the record's value as received when the event could not be decoded, else null
 * @param failure     why the event failed, and its attempts
 * @param failedAt    when Courier gave up
 * @param source      where the event was read
 * @param replayCount how many times the event had been replayed before
 */
public record DeadLetterEntry(RequestSpec request, Bytes rawKey, Bytes rawValue, Outcome.DeadLetter failure,
        Instant failedAt, Source source, int replayCount) {

    public DeadLetterEntry {
        Objects.requireNonNull(failure, "failure");
        Objects.requireNonNull(failedAt, "failedAt");
        Objects.requireNonNull(source, "source");
        if (request == null && rawValue == null && failure.category() != FailureCategory.UNDECODABLE) {
            throw new IllegalArgumentException("a dead letter keeps the request or its raw value");
        }
    }
}
