package dev.courier.model;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/** How one HTTP attempt ended: a response of any status, or no response. */
public sealed interface AttemptResult {

    /** When the attempt started. */
    Instant startedAt();

    /** How long the attempt took. */
    Duration latency();

    /**
     * The target answered.
     *
     * @param status        HTTP status code
     * @param headers       response headers, repeated ones joined with {@code ", "}
     * @param body          the body, decompressed, at most the configured cap
     * @param bodyTruncated true when the body was longer than the cap and the rest was discarded
     */
    record Response(int status, Map<String, String> headers, Bytes body, boolean bodyTruncated, Instant startedAt,
            Duration latency) implements AttemptResult {

        public Response {
            headers = Map.copyOf(headers);
            Objects.requireNonNull(body, "body");
            Objects.requireNonNull(startedAt, "startedAt");
            Objects.requireNonNull(latency, "latency");
        }

        /** The value of header {@code name}, matched without regard to case, or null. */
        public String header(String name) {
            for (Map.Entry<String, String> header : headers.entrySet()) {
                if (header.getKey().equalsIgnoreCase(name)) {
                    return header.getValue();
                }
            }
            return null;
        }
    }

    /**
     * No response.
     *
     * @param kind     whether the request may have reached the server, which decides whether repeating it is safe
     * @param message  what went wrong, for the dead letter
     * @param timedOut whether a timeout ended it (connect, read, write or the whole call): a sign the target is
     *                 overloaded, which slows its key down
     */
    record Failure(Kind kind, String message, Instant startedAt, Duration latency, boolean timedOut)
            implements AttemptResult {

        public Failure {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(startedAt, "startedAt");
            Objects.requireNonNull(latency, "latency");
        }

        /** A failure that no timeout ended. */
        public Failure(Kind kind, String message, Instant startedAt, Duration latency) {
            this(kind, message, startedAt, latency, false);
        }

        /** What a failed attempt means for trying again. */
        public enum Kind {
            /** The request never left: name resolution, connecting or the TLS handshake failed or timed out. Safe to repeat. */
            NOT_SENT,
            /** The request was sent, or partly sent, and no complete response came: a timeout or a reset. It may have taken effect. */
            MAYBE_DELIVERED,
            /** The request cannot be made as it is (for example its body is over the size limit); repeating will not help. */
            INVALID,
            /** Courier's egress policy refused the destination; repeating will not help. */
            REFUSED_BY_POLICY
        }
    }
}
