package dev.courier.dispatch;

import dev.courier.config.Durations;
import dev.courier.config.RetrySettings;
import dev.courier.model.AttemptResult;
import dev.courier.model.AttemptResult.Failure;
import dev.courier.model.AttemptResult.Response;
import dev.courier.model.Attempts;
import dev.courier.model.Backoff;
import dev.courier.model.DispatchRequest;
import dev.courier.model.FailureCategory;
import dev.courier.model.Outcome;
import dev.courier.model.Outcome.DeadLetter;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.DoubleSupplier;

/**
 * The one place that decides what an attempt's result means: a result, another attempt after a wait, or a dead
 * letter with its category and a message that says why. A pure function of its arguments and the settings (and
 * the random source of the backoff); thread-safe when that source is.
 */
final class RetryPolicy {

    private final RetrySettings settings;
    private final Map<String, Integer> targetMaxAttempts;
    private final Backoff backoff;

    /** @param random uniform values in {@code [0, 1)} for the backoff's jitter */
    RetryPolicy(RetrySettings settings, DoubleSupplier random) {
        this(settings, Map.of(), random);
    }

    /**
     * @param targetMaxAttempts attempts per event of the named targets that set their own
     *                          ({@code courier.targets.NAME.max-attempts}), by target name
     * @param random            uniform values in {@code [0, 1)} for the backoff's jitter
     */
    RetryPolicy(RetrySettings settings, Map<String, Integer> targetMaxAttempts, DoubleSupplier random) {
        this.settings = settings;
        this.targetMaxAttempts = Map.copyOf(targetMaxAttempts);
        this.backoff = new Backoff(settings.backoffInitial(), settings.backoffMax(), random);
    }

    /** Whether no attempt of {@code request} may start at {@code now}: it has a deadline, and that has passed. */
    boolean isExpired(DispatchRequest request, Instant now) {
        return request.deadline() != null && now.isAfter(request.deadline());
    }

    /**
     * The outcome of an event whose deadline passed before its next attempt could start.
     *
     * @param lastStatus status of the last attempt that got a response, or null
     */
    DeadLetter expired(DispatchRequest request, Attempts attempts, Integer lastStatus) {
        String message = attempts.count() == 0
                ? "the deadline " + request.deadline() + " passed before the first attempt could start"
                : "the deadline " + request.deadline() + " passed before attempt " + (attempts.count() + 1)
                        + " could start" + (lastStatus == null ? "" : "; the last answer was "
                        + ReasonPhrases.describe(lastStatus));
        return new DeadLetter(FailureCategory.EXPIRED, lastStatus, message, attempts);
    }

    /**
     * The most attempts {@code request} may have: its named target's limit, else Courier's, or fewer when the event
     * asks for fewer.
     */
    int attemptLimit(DispatchRequest request) {
        int limit = request.target() == null ? settings.maxAttempts()
                : targetMaxAttempts.getOrDefault(request.target(), settings.maxAttempts());
        Integer asked = request.maxAttempts();
        return asked == null ? limit : Math.max(1, Math.min(asked, limit));
    }

    /**
     * Decides what follows the last of {@code attempts}, which ended with {@code result} at {@code now}.
     *
     * @param earlierStatus status of the last earlier attempt that got a response, or null
     */
    Decision decide(DispatchRequest request, Attempts attempts, Integer earlierStatus, AttemptResult result,
            Instant now) {
        if (result instanceof Response response) {
            return decide(request, attempts, response, now);
        }
        Failure failure = (Failure) result;
        return switch (failure.kind()) {
            case NOT_SENT -> retry(request, attempts, earlierStatus, "failed: " + failure.message(),
                    backoff.next(attempts.count()), now);
            case MAYBE_DELIVERED -> isSafeToRepeat(request)
                    ? retry(request, attempts, earlierStatus, "failed: " + failure.message(),
                            backoff.next(attempts.count()), now)
                    : deadLetter(FailureCategory.UNSAFE_TO_RETRY, earlierStatus, request.method()
                            + " may have reached the server and has no idempotencyKey, so it was not repeated: "
                            + failure.message(), attempts);
            case INVALID -> deadLetter(FailureCategory.INVALID_REQUEST, earlierStatus,
                    "the request cannot be made: " + failure.message(), attempts);
            // Final: the same destination would be refused again, and no connection was made to it.
            case REFUSED_BY_POLICY -> deadLetter(FailureCategory.POLICY_REFUSED, earlierStatus,
                    "Courier's egress policy refused the destination: " + failure.message(), attempts);
        };
    }

    private Decision decide(DispatchRequest request, Attempts attempts, Response response, Instant now) {
        int status = response.status();
        if (settings.successStatuses().contains(status)) {
            return new Decision.Done(new Outcome.Result(status, response.headers(), response.body(),
                    response.bodyTruncated(), response.latency(), attempts));
        }
        if (!settings.retryStatuses().contains(status)) {
            return deadLetter(finalCategory(status), status, "the target answered " + ReasonPhrases.describe(status)
                    + ", which is final", attempts);
        }
        return retry(request, attempts, status, "answered " + ReasonPhrases.describe(status), wait(response,
                attempts.count(), now), now);
    }

    /** The wait before the next attempt: the response's {@code Retry-After} within its cap, else the backoff. */
    private Duration wait(Response response, int attempt, Instant now) {
        String header = response.header("Retry-After");
        Duration asked = header == null ? null : RetryAfter.parse(header, now);
        if (asked == null) {
            return backoff.next(attempt);
        }
        return asked.compareTo(settings.retryAfterMax()) > 0 ? settings.retryAfterMax() : asked;
    }

    /** Another attempt after {@code wait}, unless the attempts are used up or it would start after the deadline. */
    private Decision retry(DispatchRequest request, Attempts attempts, Integer lastStatus, String last, Duration wait,
            Instant now) {
        int limit = attemptLimit(request);
        if (attempts.count() >= limit) {
            return deadLetter(FailureCategory.RETRIES_EXHAUSTED, lastStatus, (limit == 1 ? "the only attempt allowed"
                    : "all " + limit + " attempts allowed failed; the last") + " " + last, attempts);
        }
        Instant next = now.plus(wait);
        if (request.deadline() != null && next.isAfter(request.deadline())) {
            return deadLetter(FailureCategory.EXPIRED, lastStatus, "attempt " + attempts.count() + " " + last
                    + ", and attempt " + (attempts.count() + 1) + " (due in " + Durations.format(wait)
                    + ") would start after the deadline " + request.deadline(), attempts);
        }
        return new Decision.Retry(wait);
    }

    private static boolean isSafeToRepeat(DispatchRequest request) {
        return request.method().isIdempotent() || request.idempotencyKey() != null;
    }

    private static FailureCategory finalCategory(int status) {
        if (status >= 400 && status <= 499) {
            return FailureCategory.HTTP_CLIENT_ERROR;
        }
        return status >= 500 && status <= 599 ? FailureCategory.HTTP_SERVER_ERROR
                : FailureCategory.HTTP_UNEXPECTED_STATUS;
    }

    private static Decision deadLetter(FailureCategory category, Integer lastStatus, String message,
            Attempts attempts) {
        return new Decision.Done(new DeadLetter(category, lastStatus, message, attempts));
    }
}
