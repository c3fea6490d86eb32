package dev.courier.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetryAfterTest {

    private static final Instant NOW = Instant.parse("1994-11-06T08:49:00Z");

    @Test
    void delaySecondsAreReadAsSeconds() {
        assertThat(RetryAfter.parse("120", NOW)).isEqualTo(Duration.ofSeconds(120));
        assertThat(RetryAfter.parse(" 0 ", NOW)).isZero();
    }

    @Test
    void anImfFixdateIsMeasuredFromNow() {
        assertThat(RetryAfter.parse("Sun, 06 Nov 1994 08:49:37 GMT", NOW)).isEqualTo(Duration.ofSeconds(37));
    }

    @Test
    void theObsoleteDateFormsAreAccepted() {
        assertThat(RetryAfter.parse("Sunday, 06-Nov-94 08:49:37 GMT", NOW)).isEqualTo(Duration.ofSeconds(37));
        assertThat(RetryAfter.parse("Sun Nov  6 08:49:37 1994", NOW)).isEqualTo(Duration.ofSeconds(37));
    }

    @Test
    void aDateInThePastMeansNoWait() {
        assertThat(RetryAfter.parse("Sun, 06 Nov 1994 08:00:00 GMT", NOW)).isZero();
    }

    @Test
    void anAbsurdlyLargeNumberOfSecondsIsAVeryLongWait() {
        assertThat(RetryAfter.parse("99999999999999999999", NOW)).isGreaterThan(Duration.ofDays(365 * 1000));
    }

    @Test
    void anythingElseIsUnreadable() {
        assertThat(RetryAfter.parse("", NOW)).isNull();
        assertThat(RetryAfter.parse("-5", NOW)).isNull();
        assertThat(RetryAfter.parse("1.5", NOW)).isNull();
        assertThat(RetryAfter.parse("tomorrow", NOW)).isNull();
    }
}
