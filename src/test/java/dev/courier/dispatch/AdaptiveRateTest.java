package dev.courier.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.config.RateSettings;
import org.junit.jupiter.api.Test;

/** Additive increase, multiplicative decrease of one key's rate, in nanoseconds of virtual time. */
class AdaptiveRateTest {

    private static final long SECOND = 1_000_000_000L;
    private static final RateSettings.Adaptive HALVING = new RateSettings.Adaptive(true, 0.5, 1, 20);

    @Test
    void aPushbackMultipliesTheRateByTheFactorDownToTheFloor() {
        AdaptiveRate rate = new AdaptiveRate(HALVING, 10, 1);

        for (int i = 1; i <= 5; i++) {
            rate.pushback(i * SECOND, 0);
        }

        assertThat(rate.rate()).as("10, 5, 2.5, 1.25, then the floor").isEqualTo(1);
        assertThat(rate.configured()).isEqualTo(10);
    }

    @Test
    void pushbacksWithinASecondOfADecreaseCountOnce() {
        AdaptiveRate rate = new AdaptiveRate(HALVING, 10, 1);

        assertThat(rate.pushback(SECOND, 0)).isTrue();
        assertThat(rate.pushback(SECOND + SECOND / 2, 0)).as("answers to calls already in flight").isFalse();
        assertThat(rate.rate()).isEqualTo(5);
        assertThat(rate.pushback(2 * SECOND, 0)).isTrue();
        assertThat(rate.rate()).isEqualTo(2.5);
    }

    @Test
    void everyTwentySuccessesSinceTheLastDecreaseGiveATenthOfTheRateBackUpToTheConfiguredRate() {
        AdaptiveRate rate = new AdaptiveRate(HALVING, 10, 1);
        rate.pushback(SECOND, 0);

        for (int i = 0; i < 19; i++) {
            assertThat(rate.success()).isFalse();
        }
        assertThat(rate.success()).isTrue();
        assertThat(rate.rate()).isEqualTo(6);
        for (int i = 0; i < 20 * 10; i++) {
            rate.success();
        }
        assertThat(rate.rate()).isEqualTo(10);
    }

    @Test
    void aKeyWithoutARateIsUnlimitedUntilItPushesBackThenClimbsBackToUnlimited() {
        AdaptiveRate rate = new AdaptiveRate(HALVING, Double.POSITIVE_INFINITY, 1);
        assertThat(rate.rate()).isInfinite();

        rate.pushback(SECOND, 40);
        assertThat(rate.rate()).as("half of the 40 a second it was making").isEqualTo(20);

        for (int i = 0; i < 20 * 5; i++) {
            rate.success();
        }
        assertThat(rate.rate()).isInfinite();
    }

    @Test
    void aTargetFailingOneCallInTenWithA503KeepsItsRate() {
        AdaptiveRate rate = new AdaptiveRate(HALVING, 100, 1);

        for (int i = 0; i < 10_000; i++) {
            long now = i * SECOND / 100;
            if (i % 10 == 9) {
                rate.strain(now, 100);
            } else {
                rate.success();
            }
        }

        assertThat(rate.rate()).as("a steady 10 %% of 503s is under a quarter of the last %d answers",
                AdaptiveRate.STRAIN_WINDOW).isEqualTo(100);
    }

    @Test
    void aTargetFailingAQuarterOfItsCallsWithA503OrATimeoutSlowsDown() {
        AdaptiveRate rate = new AdaptiveRate(HALVING, 100, 1);
        for (int i = 0; i < 30; i++) {
            rate.success();
        }

        boolean changed = false;
        for (int i = 0; i < 10 && !changed; i++) {
            changed = rate.strain(SECOND, 100);
        }

        assertThat(changed).isTrue();
        assertThat(rate.rate()).isEqualTo(50);
    }

    @Test
    void aKeyWhoseOnlyAnswersAreTimeoutsSlowsDownAtOnce() {
        AdaptiveRate rate = new AdaptiveRate(HALVING, 100, 1);

        assertThat(rate.strain(SECOND, 100)).isTrue();
        assertThat(rate.rate()).isEqualTo(50);
    }

    @Test
    void answersThatSayNothingOfTheLoadDiluteTheShareOf503s() {
        AdaptiveRate rate = new AdaptiveRate(HALVING, 100, 1);
        for (int i = 0; i < AdaptiveRate.STRAIN_WINDOW; i++) {
            rate.neutral();
        }

        assertThat(rate.strain(SECOND, 100)).as("1 of the last 40").isFalse();
        assertThat(rate.rate()).isEqualTo(100);
    }

    @Test
    void whenAdaptationIsOffTheRateNeverMoves() {
        AdaptiveRate rate = new AdaptiveRate(new RateSettings.Adaptive(false, 0.5, 1, 20), 10, 1);

        assertThat(rate.pushback(SECOND, 0)).isFalse();
        assertThat(rate.rate()).isEqualTo(10);
    }

    @Test
    void aNewShareKeepsAReducedRatesProportion() {
        AdaptiveRate rate = new AdaptiveRate(HALVING, 10, 1);
        rate.pushback(SECOND, 0);

        rate.rescale(5, 0.5);

        assertThat(rate.rate()).as("half of the new share, as it was half of the old").isEqualTo(2.5);
        assertThat(rate.configured()).isEqualTo(5);
    }
}
