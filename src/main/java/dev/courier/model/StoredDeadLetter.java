package dev.courier.model;

import java.time.Instant;
import java.util.Objects;

/**
 * A dead letter as it was read back from the dead-letter topic: what replay and operators need of it.
 *
 * @param requestId   the event's id, or null when the record was not an event
 * @param request     the event as kept (credential headers and query values redacted), or null when it was not
 *                    an event or was too large to keep
 * @param category    the failure category's name; {@code UNKNOWN} for one added after this version
 * @param lastStatus  HTTP status of the last attempt that got a response, or null
 * @param message     what went wrong
 * @param failedAt    when Courier gave up
 * @param replayCount how many times the event had been replayed before it failed this time
 */
public record StoredDeadLetter(String requestId, RequestSpec request, String category, Integer lastStatus,
        String message, Instant failedAt, int replayCount) {

    public StoredDeadLetter {
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(message, "message");
    }
}
