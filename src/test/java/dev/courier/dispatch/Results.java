package dev.courier.dispatch;

import dev.courier.model.AttemptResult;
import dev.courier.model.AttemptResult.Failure;
import dev.courier.model.Bytes;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** Attempt results for the dispatcher's tests. */
final class Results {

    static final Instant START = Instant.parse("2030-01-01T00:00:00Z");

    private Results() {
    }

    static AttemptResult.Response status(int status) {
        return status(status, Map.of());
    }

    static AttemptResult.Response status(int status, Map<String, String> headers) {
        return new AttemptResult.Response(status, headers, Bytes.empty(), false, START, Duration.ofMillis(5));
    }

    static Failure failure(Failure.Kind kind, String message) {
        return new Failure(kind, message, START, Duration.ofMillis(5));
    }
}
