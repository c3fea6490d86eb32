package dev.courier.http;

import dev.courier.model.AttemptResult;
import dev.courier.model.DispatchRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.function.LongSupplier;

/**
 * One attempt in progress: its request, its timeout, when it started and how far it got. Turns its end
 * into an {@link AttemptResult} timed from its start. Confined to the calling thread, except for the
 * trace, which OkHttp's threads write.
 */
final class Attempt {

    private final DispatchRequest request;
    private final Duration timeout;
    private final Instant startedAt;
    private final long startNanos;
    private final LongSupplier nanoTime;
    private final AttemptTrace trace = new AttemptTrace();

    /**
     * @param timeout   the whole attempt's timeout, already within the configured maximum
     * @param startedAt when the attempt started, from the injected clock
     * @param nanoTime  a monotonic nanosecond source for the latency
     */
    Attempt(DispatchRequest request, Duration timeout, Instant startedAt, LongSupplier nanoTime) {
        this.request = request;
        this.timeout = timeout;
        this.startedAt = startedAt;
        this.nanoTime = nanoTime;
        this.startNanos = nanoTime.getAsLong();
    }

    DispatchRequest request() {
        return request;
    }

    Duration timeout() {
        return timeout;
    }

    AttemptTrace trace() {
        return trace;
    }

    AttemptResult.Response response(ResponseReader.Content content) {
        return new AttemptResult.Response(content.status(), content.headers(), content.body(), content.truncated(),
                startedAt, latency());
    }

    AttemptResult.Failure failure(AttemptResult.Failure.Kind kind, String message) {
        return new AttemptResult.Failure(kind, message, startedAt, latency());
    }

    /** The attempt's result after a timeout ended it. */
    AttemptResult.Failure timeout(AttemptResult.Failure.Kind kind, String message) {
        return new AttemptResult.Failure(kind, message, startedAt, latency(), true);
    }

    /** Nanoseconds left of the attempt's timeout; 0 or less once it has passed. */
    long remainingNanos() {
        return timeout.toNanos() - (nanoTime.getAsLong() - startNanos);
    }

    private Duration latency() {
        return Duration.ofNanos(nanoTime.getAsLong() - startNanos);
    }
}
