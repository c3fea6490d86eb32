package dev.courier.model;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/** The one outcome of a request event: a result, or a dead letter. */
public sealed interface Outcome {

    /** The attempts made for the event. */
    Attempts attempts();

    /**
     * The call ended with a success status.
     *
     * @param status        HTTP status of the last attempt
     * @param headers       response headers
     * @param body          response body, at most the configured cap
     * @param bodyTruncated true when the body was cut at the cap
     * @param latency       duration of the last attempt
     */
    record Result(int status, Map<String, String> headers, Bytes body, boolean bodyTruncated, Duration latency,
            Attempts attempts) implements Outcome {

        public Result {
            headers = Map.copyOf(headers);
            Objects.requireNonNull(body, "body");
            Objects.requireNonNull(latency, "latency");
            Objects.requireNonNull(attempts, "attempts");
        }
    }

    /**
     * The event failed for good.
     *
     * @param category   why
     * @param lastStatus HTTP status of the last attempt that got a response, or null
     * @param message    what went wrong, in words
     */
    record DeadLetter(FailureCategory category, Integer lastStatus, String message, Attempts attempts)
            implements Outcome {

        public DeadLetter {
            Objects.requireNonNull(category, "category");
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(attempts, "attempts");
        }
    }
}
