package dev.courier.dispatch;

import static dev.courier.dispatch.Feedback.Signal.NEUTRAL;
import static dev.courier.dispatch.Feedback.Signal.PUSHBACK;
import static dev.courier.dispatch.Feedback.Signal.STRAIN;
import static dev.courier.dispatch.Feedback.Signal.SUCCESS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.config.RateSettings;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** How one host's rate follows its answers, in nanoseconds of virtual time. */
class AdaptiveRateTest {

    private static final long SECOND = 1_000_000_000L;
    private static final RateSettings.Adaptive HALVING = new RateSettings.Adaptive(true, 0.5, 1, 1);

    /** The host answers {@code perSecond} times a second for {@code seconds}, each answer drawn by {@code answer}. */
    private static long answer(AdaptiveRate rate, long from, int seconds, int perSecond, double observed,
            java.util.function.IntFunction<Feedback.Signal> answer) {
        long now = from;
        for (int i = 0; i < seconds * perSecond; i++) {
            now = from + (long) i * SECOND / perSecond;
            rate.answered(answer.apply(i), now, observed);
        }
        return from + (long) seconds * SECOND;
    }

    @Test
    void aHostIsUnlimitedUntilA429WithoutATimeThenHalvesFromTheRateItWasMaking() {
        AdaptiveRate rate = new AdaptiveRate(HALVING, 1);
        assertThat(rate.rate()).isInfinite();

        assertThat(rate.answered(PUSHBACK, SECOND, 40)).isTrue();

        assertThat(rate.rate()).as("half of the 40 a second it was making").isEqualTo(20);
    }

    @Test
    void pushbacksWithinASecondOfADecreaseCountOnce() {
        AdaptiveRate rate = new AdaptiveRate(HALVING, 1);

        assertThat(rate.answered(PUSHBACK, 0, 40)).isTrue();
        assertThat(rate.answered(PUSHBACK, SECOND / 2, 40)).as("answers to calls already on their way").isFalse();
        assertThat(rate.rate()).isEqualTo(20);
        rate.answered(PUSHBACK, SECOND, 40);
        assertThat(rate.answered(PUSHBACK, SECOND + 1, 40)).as("the next second").isTrue();
        assertThat(rate.rate()).isEqualTo(10);
    }

    @Test
    void aSingleBadSecondCannotTakeAHostToTheFloor() {
        AdaptiveRate rate = new AdaptiveRate(HALVING, 1);

        answer(rate, 0, 1, 200, 200, i -> PUSHBACK);

        assertThat(rate.rate()).as("200 answers of 429 in one second halve it once").isEqualTo(100);
    }

    @Test
    void eachSecondWithoutPushbackGivesATenthBackSoTheHostIsUnlimitedAgainWithinTenSeconds() {
        AdaptiveRate rate = new AdaptiveRate(HALVING, 1);
        long now = answer(rate, 0, 1, 100, 100, i -> i == 0 ? PUSHBACK : SUCCESS);
        for (int i = 0; i < 5; i++) {
            now = answer(rate, now, 1, 100, 100, ignored -> PUSHBACK);
        }
        assertThat(rate.rate()).as("100 halved six times, one a second").isEqualTo(1.5625);

        int seconds = 0;
        while (Double.isFinite(rate.rate())) {
            now = answer(rate, now, 1, 10, 10, i -> SUCCESS);
            seconds++;
        }

        assertThat(seconds).as("a tenth of 100 back each second from about the floor").isBetween(10, 11);
    }

    @Test
    void aStepBackNeedsIncreaseAfterSuccessesSinceTheRateLastChanged() {
        AdaptiveRate rate = new AdaptiveRate(new RateSettings.Adaptive(true, 0.5, 1, 5), 1);
        rate.answered(PUSHBACK, 0, 100);
        long now = SECOND;

        now = answer(rate, now, 1, 4, 4, i -> i < 3 ? SUCCESS : NEUTRAL);
        rate.answered(NEUTRAL, now, 4);
        assertThat(rate.rate()).as("3 successes of the 5 needed").isEqualTo(50);
        now = answer(rate, now, 1, 2, 4, i -> SUCCESS);
        rate.answered(NEUTRAL, now, 4);
        assertThat(rate.rate()).isEqualTo(60);
    }

    @Test
    void aHostFailingOneCallInSixAtRandomKeepsItsRate() {
        AdaptiveRate rate = new AdaptiveRate(HALVING, 1);
        Random random = new Random(7);

        answer(rate, 0, 300, 200, 200, i -> random.nextDouble() < 1.0 / 6 ? STRAIN : SUCCESS);

        assertThat(rate.rate()).as("5 minutes at 200 answers a second").isInfinite();
    }

    @Test
    void aHostFailingAThirdOfItsCallsAtRandomIsTriedSlowerOnceThenLeftAtItsRateForAMinute() {
        AdaptiveRate rate = new AdaptiveRate(HALVING, 1);
        Random random = new Random(11);
        int[] decreases = new int[1];
        long now = 0;
        double before = rate.rate();
        for (int second = 0; second < 120; second++) {
            now = answer(rate, now, 1, 200, 200, i -> random.nextDouble() < 1.0 / 3 ? STRAIN : SUCCESS);
            if (rate.rate() < before) {
                decreases[0]++;
            }
            before = rate.rate();
        }

        assertThat(decreases[0]).as("one trial a minute at most, each undone when the share stays").isLessThanOrEqualTo(2);
        assertThat(rate.rate()).isInfinite();
    }

    @Test
    void aHostWhoseFailuresFollowItsLoadIsSlowedToAroundWhatItCanTakeAndNotBelow() {
        AdaptiveRate rate = new AdaptiveRate(HALVING, 1);
        // an overloaded host: it answers 50 calls a second, and every call over that fails
        long now = 0;
        double made = 0;
        for (int second = 0; second < 40; second++) {
            double calls = Math.min(200, rate.rate());
            double failing = Math.max(0, (calls - 50) / calls);
            int perSecond = (int) calls;
            now = answer(rate, now, 1, perSecond, calls, i -> i < failing * perSecond ? STRAIN : SUCCESS);
            if (second >= 10) {
                made += calls;
            }
        }

        assertThat(made / 30).as("calls a second, on average: about the 50 it takes, not the 200 it was sent")
                .isBetween(40.0, 90.0);
        assertThat(rate.rate()).isFinite();
    }

    @Test
    void tooFewAnswersToTellLeaveTheRateAlone() {
        AdaptiveRate rate = new AdaptiveRate(HALVING, 1);

        answer(rate, 0, 10, 1, 1, i -> i % 2 == 0 ? STRAIN : SUCCESS);

        assertThat(rate.rate()).as("ten answers, half of them 503s: not enough to judge").isInfinite();
    }

    @Test
    void answersThatSayNothingOfTheLoadDiluteTheShareOf503s() {
        AdaptiveRate rate = new AdaptiveRate(HALVING, 1);

        answer(rate, 0, 10, 100, 100, i -> i % 10 < 3 ? STRAIN : NEUTRAL);
        answer(rate, 10 * SECOND, 10, 100, 100, i -> i % 10 < 2 ? STRAIN : i % 10 < 5 ? NEUTRAL : SUCCESS);

        assertThat(rate.rate()).as("20 % of 503s among 404s and 200s").isInfinite();
    }

    @Test
    void whenAdaptationIsOffTheRateNeverMoves() {
        AdaptiveRate rate = new AdaptiveRate(new RateSettings.Adaptive(false, 0.5, 1, 1), 1);

        answer(rate, 0, 5, 100, 100, i -> PUSHBACK);

        assertThat(rate.rate()).isInfinite();
    }

    @Test
    void aLowerFloorShareKeepsARateAboveIt() {
        AdaptiveRate rate = new AdaptiveRate(HALVING, 4);
        answer(rate, 0, 10, 10, 10, i -> PUSHBACK);
        assertThat(rate.rate()).as("down to the floor of 4").isEqualTo(4);

        rate.floor(8);

        assertThat(rate.rate()).isEqualTo(8);
    }
}
