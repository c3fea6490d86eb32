package dev.courier.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which response fields pause a rate-limit key, and for how long. */
class PushbackTest {

    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

    @Test
    void retryAfterInSecondsOnAnErrorPausesForThatLong() {
        assertThat(pause(429, Map.of("Retry-After", "3"))).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void retryAfterAsAnHttpDatePausesUntilThatDate() {
        assertThat(pause(503, Map.of("Retry-After", "Tue, 01 Jan 2030 00:00:07 GMT"))).isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void retryAfterOnASuccessDoesNotPause() {
        assertThat(pause(200, Map.of("Retry-After", "3"))).isNull();
    }

    @Test
    void theIetfRateLimitFieldAtZeroRemainingPausesUntilItsReset() {
        assertThat(pause(200, Map.of("RateLimit", "\"default\";r=0;t=2", "RateLimit-Policy", "\"default\";q=100;w=60")))
                .isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void theIetfRateLimitFieldWithRequestsRemainingDoesNotPause() {
        assertThat(pause(200, Map.of("RateLimit", "\"default\";r=5;t=2"))).isNull();
    }

    @Test
    void theLongestResetOfTheExhaustedQuotasWins() {
        assertThat(pause(200, Map.of("RateLimit", "\"minute\";r=0;t=20, \"hour\";r=0;t=900, \"day\";r=7;t=9000")))
                .isEqualTo(Duration.ofSeconds(900));
    }

    @Test
    void theEarlierDictionaryFormAndTheSeparateFieldsAreRead() {
        assertThat(pause(200, Map.of("RateLimit", "limit=100, remaining=0, reset=4"))).isEqualTo(Duration.ofSeconds(4));
        assertThat(pause(200, Map.of("RateLimit-Remaining", "0", "RateLimit-Reset", "5")))
                .isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void xRateLimitResetIsReadAsSecondsOrAsAUnixTime() {
        assertThat(pause(200, Map.of("X-RateLimit-Remaining", "0", "X-RateLimit-Reset", "6")))
                .isEqualTo(Duration.ofSeconds(6));
        long inTenSeconds = NOW.getEpochSecond() + 10;
        assertThat(pause(200, Map.of("X-RateLimit-Remaining", "0", "X-RateLimit-Reset", Long.toString(inTenSeconds))))
                .isEqualTo(Duration.ofSeconds(10));
        assertThat(pause(200, Map.of("X-RateLimit-Remaining", "0", "X-RateLimit-Reset",
                Long.toString(NOW.getEpochSecond() - 10)))).as("a reset in the past").isNull();
    }

    @Test
    void xRateLimitWithRequestsRemainingDoesNotPause() {
        assertThat(pause(200, Map.of("X-RateLimit-Remaining", "3", "X-RateLimit-Reset", "6"))).isNull();
    }

    @Test
    void malformedFieldsAreIgnored() {
        assertThat(pause(429, Map.of("Retry-After", "soon"))).isNull();
        assertThat(pause(200, Map.of("RateLimit", "r=zero;t=2;;=,=;"))).isNull();
        assertThat(pause(200, Map.of("X-RateLimit-Remaining", "-1", "X-RateLimit-Reset", "6"))).isNull();
        assertThat(pause(200, Map.of("X-RateLimit-Remaining", "0", "X-RateLimit-Reset", "1e3"))).isNull();
        assertThat(pause(200, Map.of("X-RateLimit-Remaining", "0"))).as("no reset").isNull();
    }

    private static Duration pause(int status, Map<String, String> headers) {
        return Pushback.pause(Results.status(status, headers), NOW);
    }
}
