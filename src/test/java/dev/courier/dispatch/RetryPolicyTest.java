package dev.courier.dispatch;

import static dev.courier.dispatch.Results.failure;
import static dev.courier.dispatch.Results.status;
import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.model.AttemptResult.Failure.Kind;
import dev.courier.model.Attempts;
import dev.courier.model.DispatchRequest;
import dev.courier.model.FailureCategory;
import dev.courier.model.HttpMethod;
import dev.courier.model.Outcome;
import dev.courier.model.Outcome.DeadLetter;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private static final Instant NOW = Instant.parse("2030-01-01T00:00:10Z");
    private static final Attempts ONE = Attempts.NONE.plus(NOW);

    /** Defaults: 5 attempts, backoff 200ms doubling to 30s, Retry-After honoured up to 60s; jitter always half. */
    private final RetryPolicy policy = new RetryPolicy(Requests.settings().retry(), () -> 0.5);
    private final DispatchRequest get = Requests.get("r1", "api.example.com");
    private final DispatchRequest post = Requests.request("r2", HttpMethod.POST, "api.example.com", null, null, null,
            "api.example.com");

    @Test
    void aSuccessStatusMakesAResultWithTheResponseAndTheAttempts() {
        Decision decision = policy.decide(get, ONE, null, status(201, Map.of("Location", "/x")), NOW);

        Outcome.Result result = (Outcome.Result) ((Decision.Done) decision).outcome();
        assertThat(result.status()).isEqualTo(201);
        assertThat(result.headers()).containsEntry("Location", "/x");
        assertThat(result.attempts()).isEqualTo(ONE);
    }

    @Test
    void aFinal4xxIsAClientErrorNamingTheStatus() {
        DeadLetter letter = deadLetter(policy.decide(get, ONE, null, status(404), NOW));

        assertThat(letter.category()).isEqualTo(FailureCategory.HTTP_CLIENT_ERROR);
        assertThat(letter.lastStatus()).isEqualTo(404);
        assertThat(letter.message()).isEqualTo("the target answered 404 Not Found, which is final");
        assertThat(letter.attempts()).isEqualTo(ONE);
    }

    @Test
    void aFinal5xxIsAServerError() {
        DeadLetter letter = deadLetter(policy.decide(get, ONE, null, status(501), NOW));

        assertThat(letter.category()).isEqualTo(FailureCategory.HTTP_SERVER_ERROR);
        assertThat(letter.lastStatus()).isEqualTo(501);
        assertThat(letter.message()).contains("501 Not Implemented");
    }

    @Test
    void aRedirectOrAnInformationalStatusIsUnexpected() {
        assertThat(deadLetter(policy.decide(get, ONE, null, status(302), NOW)).category())
                .isEqualTo(FailureCategory.HTTP_UNEXPECTED_STATUS);
        assertThat(deadLetter(policy.decide(get, ONE, null, status(101), NOW)).category())
                .isEqualTo(FailureCategory.HTTP_UNEXPECTED_STATUS);
    }

    @Test
    void everyDefaultRetryStatusIsRetried() {
        for (int status : new int[] {408, 425, 429, 500, 502, 503, 504}) {
            assertThat(policy.decide(get, ONE, null, status(status), NOW)).as("status %d", status)
                    .isInstanceOf(Decision.Retry.class);
        }
    }

    @Test
    void aRequestThatWasNotSentIsRetriedEvenForAPost() {
        assertThat(policy.decide(post, ONE, null, failure(Kind.NOT_SENT, "connect timed out"), NOW))
                .isInstanceOf(Decision.Retry.class);
    }

    @Test
    void anIdempotentRequestThatMayHaveBeenDeliveredIsRetried() {
        assertThat(policy.decide(get, ONE, null, failure(Kind.MAYBE_DELIVERED, "read timed out"), NOW))
                .isInstanceOf(Decision.Retry.class);
    }

    @Test
    void aPostThatMayHaveBeenDeliveredIsNotRepeatedWithoutAnIdempotencyKey() {
        DeadLetter letter = deadLetter(policy.decide(post, ONE, null, failure(Kind.MAYBE_DELIVERED,
                "read timed out"), NOW));

        assertThat(letter.category()).isEqualTo(FailureCategory.UNSAFE_TO_RETRY);
        assertThat(letter.message()).isEqualTo("POST may have reached the server and has no idempotencyKey, so it was"
                + " not repeated: read timed out");
    }

    @Test
    void aPostWithAnIdempotencyKeyIsRetriedAfterItMayHaveBeenDelivered() {
        DispatchRequest keyed = Requests.request("r3", HttpMethod.POST, "api.example.com", null, null, "key-1",
                "api.example.com");

        assertThat(policy.decide(keyed, ONE, null, failure(Kind.MAYBE_DELIVERED, "reset"), NOW))
                .isInstanceOf(Decision.Retry.class);
    }

    @Test
    void anInvalidRequestIsNotRetried() {
        DeadLetter letter = deadLetter(policy.decide(get, ONE, null, failure(Kind.INVALID, "body over 1MiB"), NOW));

        assertThat(letter.category()).isEqualTo(FailureCategory.INVALID_REQUEST);
        assertThat(letter.message()).isEqualTo("the request cannot be made: body over 1MiB");
    }

    @Test
    void aDestinationRefusedByPolicyIsNotRetried() {
        DeadLetter letter = deadLetter(policy.decide(get, ONE, null, failure(Kind.REFUSED_BY_POLICY,
                "10.0.0.1 is private"), NOW));

        assertThat(letter.category()).isEqualTo(FailureCategory.POLICY_REFUSED);
        assertThat(letter.message()).endsWith("10.0.0.1 is private");
    }

    @Test
    void theLastRetriableStatusExhaustsTheAttemptsAndIsKept() {
        Attempts five = attempts(5);

        DeadLetter letter = deadLetter(policy.decide(get, five, 503, status(503), NOW));

        assertThat(letter.category()).isEqualTo(FailureCategory.RETRIES_EXHAUSTED);
        assertThat(letter.lastStatus()).isEqualTo(503);
        assertThat(letter.message())
                .isEqualTo("all 5 attempts allowed failed; the last answered 503 Service Unavailable");
        assertThat(letter.attempts()).isEqualTo(five);
    }

    @Test
    void aLastFailureWithoutResponseKeepsTheEarlierStatusAndNamesTheError() {
        DeadLetter letter = deadLetter(policy.decide(get, attempts(5), 502, failure(Kind.NOT_SENT,
                "connection refused"), NOW));

        assertThat(letter.category()).isEqualTo(FailureCategory.RETRIES_EXHAUSTED);
        assertThat(letter.lastStatus()).isEqualTo(502);
        assertThat(letter.message()).isEqualTo("all 5 attempts allowed failed; the last failed: connection refused");
    }

    @Test
    void anEventMayLowerTheAttemptLimit() {
        DispatchRequest two = Requests.request("r4", HttpMethod.GET, "h", 2, null, null, "h");

        assertThat(policy.decide(two, attempts(1), null, status(503), NOW)).isInstanceOf(Decision.Retry.class);
        assertThat(deadLetter(policy.decide(two, attempts(2), null, status(503), NOW)).category())
                .isEqualTo(FailureCategory.RETRIES_EXHAUSTED);
    }

    @Test
    void anEventCannotRaiseTheAttemptLimit() {
        DispatchRequest ten = Requests.request("r5", HttpMethod.GET, "h", 10, null, null, "h");

        assertThat(policy.attemptLimit(ten)).isEqualTo(5);
        assertThat(deadLetter(policy.decide(ten, attempts(5), null, status(503), NOW)).category())
                .isEqualTo(FailureCategory.RETRIES_EXHAUSTED);
    }

    @Test
    void theDelayBeforeARetryIsTheJitteredBackoffOfTheAttempt() {
        // caps 200ms and 800ms; the fake jitter draws half
        assertThat(retryDelay(policy.decide(get, attempts(1), null, status(503), NOW)))
                .isEqualTo(Duration.ofMillis(100));
        assertThat(retryDelay(policy.decide(get, attempts(3), null, status(503), NOW)))
                .isEqualTo(Duration.ofMillis(400));
    }

    @Test
    void retryAfterInSecondsIsHonoured() {
        Decision decision = policy.decide(get, ONE, null, status(429, Map.of("retry-after", "7")), NOW);

        assertThat(retryDelay(decision)).isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void retryAfterAsAnHttpDateIsMeasuredFromNow() {
        Decision decision = policy.decide(get, ONE, null, status(503, Map.of("Retry-After",
                "Tue, 01 Jan 2030 00:00:25 GMT")), NOW);

        assertThat(retryDelay(decision)).isEqualTo(Duration.ofSeconds(15));
    }

    @Test
    void retryAfterIsCutToItsMaximum() {
        Decision decision = policy.decide(get, ONE, null, status(503, Map.of("Retry-After", "3600")), NOW);

        assertThat(retryDelay(decision)).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void anUnreadableRetryAfterFallsBackToTheBackoff() {
        Decision decision = policy.decide(get, ONE, null, status(503, Map.of("Retry-After", "soon")), NOW);

        assertThat(retryDelay(decision)).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void anEventWhoseDeadlinePassedBeforeItsFirstAttemptExpiresWithNoAttempts() {
        DispatchRequest late = Requests.request("r6", HttpMethod.GET, "h", null, NOW.minusSeconds(1), null, "h");

        assertThat(policy.isExpired(late, NOW)).isTrue();
        DeadLetter letter = policy.expired(late, Attempts.NONE, null);
        assertThat(letter.category()).isEqualTo(FailureCategory.EXPIRED);
        assertThat(letter.attempts()).isEqualTo(Attempts.NONE);
        assertThat(letter.lastStatus()).isNull();
        assertThat(letter.message()).isEqualTo("the deadline 2030-01-01T00:00:09Z passed before the first attempt"
                + " could start");
    }

    @Test
    void anAttemptMayStartExactlyAtTheDeadline() {
        DispatchRequest due = Requests.request("r7", HttpMethod.GET, "h", null, NOW, null, "h");

        assertThat(policy.isExpired(due, NOW)).isFalse();
        assertThat(policy.isExpired(due, NOW.plusNanos(1))).isTrue();
    }

    @Test
    void aRetryThatWouldStartAfterTheDeadlineExpiresAtOnce() {
        DispatchRequest soon = Requests.request("r8", HttpMethod.GET, "h", null, NOW.plusSeconds(5), null, "h");

        DeadLetter letter = deadLetter(policy.decide(soon, ONE, null, status(503, Map.of("Retry-After", "6")), NOW));

        assertThat(letter.category()).isEqualTo(FailureCategory.EXPIRED);
        assertThat(letter.lastStatus()).isEqualTo(503);
        assertThat(letter.attempts()).isEqualTo(ONE);
        assertThat(letter.message()).isEqualTo("attempt 1 answered 503 Service Unavailable, and attempt 2 (due in 6s)"
                + " would start after the deadline 2030-01-01T00:00:15Z");
    }

    @Test
    void aRetryThatStartsBeforeTheDeadlineIsMade() {
        DispatchRequest soon = Requests.request("r9", HttpMethod.GET, "h", null, NOW.plusSeconds(5), null, "h");

        assertThat(policy.decide(soon, ONE, null, status(503, Map.of("Retry-After", "5")), NOW))
                .isInstanceOf(Decision.Retry.class);
    }

    private static Attempts attempts(int count) {
        Attempts attempts = Attempts.NONE;
        for (int i = 0; i < count; i++) {
            attempts = attempts.plus(NOW.minusSeconds(count - i));
        }
        return attempts;
    }

    private static DeadLetter deadLetter(Decision decision) {
        assertThat(decision).isInstanceOf(Decision.Done.class);
        Outcome outcome = ((Decision.Done) decision).outcome();
        assertThat(outcome).isInstanceOf(DeadLetter.class);
        return (DeadLetter) outcome;
    }

    private static Duration retryDelay(Decision decision) {
        assertThat(decision).isInstanceOf(Decision.Retry.class);
        return ((Decision.Retry) decision).delay();
    }
}
