package dev.courier.model;

import java.time.Instant;
import java.util.Objects;

/**
 * What the status view needs of an outcome read back from the results or dead-letter topic: the request it belongs
 * to and how it ended. Bodies, headers and the kept request are left out.
 *
 * @param requestId      the request event's id; null for a dead letter of a record that was not an event
 * @param succeeded      true for a result, false for a dead letter
 * @param statusCode     HTTP status of the last attempt that got a response, or null
 * @param attempts       attempts made
 * @param firstAttemptAt when the first attempt started, or null (a dead letter refused before any attempt)
 * @param lastAttemptAt  when the last attempt started, or null
 * @param category       a dead letter's failure category's name; null for a result
 * @param errorMessage   a dead letter's error message as written (already redacted); null for a result
 * @param replayCount    a dead letter's replay count; 0 for a result (its count travels in a record header)
 */
public record StoredOutcome(String requestId, boolean succeeded, Integer statusCode, int attempts,
        Instant firstAttemptAt, Instant lastAttemptAt, String category, String errorMessage, int replayCount) {

    public StoredOutcome {
        if (!succeeded) {
            Objects.requireNonNull(category, "category");
        }
    }
}
