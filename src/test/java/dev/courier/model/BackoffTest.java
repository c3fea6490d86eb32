package dev.courier.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private static final Duration INITIAL = Duration.ofMillis(200);
    private static final Duration MAX = Duration.ofSeconds(30);

    @Test
    void theCapDoublesPerAttemptUpToTheMaximum() {
        Backoff backoff = new Backoff(INITIAL, MAX, () -> 0.0);

        assertThat(backoff.cap(1)).isEqualTo(Duration.ofMillis(200));
        assertThat(backoff.cap(2)).isEqualTo(Duration.ofMillis(400));
        assertThat(backoff.cap(3)).isEqualTo(Duration.ofMillis(800));
        assertThat(backoff.cap(8)).isEqualTo(Duration.ofMillis(25_600));
        assertThat(backoff.cap(9)).isEqualTo(MAX);
        assertThat(backoff.cap(100)).isEqualTo(MAX);
    }

    @Test
    void theWaitIsDrawnFromZeroToTheCapWithFullJitter() {
        assertThat(new Backoff(INITIAL, MAX, () -> 0.0).next(3)).isZero();
        assertThat(new Backoff(INITIAL, MAX, () -> 0.25).next(3)).isEqualTo(Duration.ofMillis(200));
        assertThat(new Backoff(INITIAL, MAX, () -> Math.nextDown(1.0)).next(3)).isEqualTo(Duration.ofMillis(800));
        assertThat(new Backoff(INITIAL, MAX, () -> Math.nextDown(1.0)).next(40)).isEqualTo(MAX);
    }

    @Test
    void aRealRandomSourceStaysWithinTheCap() {
        Backoff backoff = new Backoff(INITIAL, MAX, Math::random);

        for (int i = 0; i < 1000; i++) {
            assertThat(backoff.next(2)).isBetween(Duration.ZERO, Duration.ofMillis(400));
        }
    }

    @Test
    void withoutJitterTheWaitIsTheCap() {
        Backoff backoff = Backoff.withoutJitter(Duration.ofSeconds(1), Duration.ofSeconds(30));

        assertThat(backoff.next(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.next(3)).isEqualTo(Duration.ofSeconds(4));
        assertThat(backoff.next(10)).isEqualTo(Duration.ofSeconds(30));
    }
}
