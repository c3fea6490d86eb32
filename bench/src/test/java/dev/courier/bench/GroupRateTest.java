package dev.courier.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GroupRateTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void theMaxInAnyOneSecondWindowSlidesAcrossWholeSeconds() {
        long[] arrivals = {0, SECOND / 2, SECOND - 1, SECOND, SECOND + SECOND / 4, 3 * SECOND};

        assertEquals(4, GroupRate.maxInWindow(arrivals, SECOND), "0.5 s, 1 s - 1 ns, 1 s and 1.25 s");
        assertEquals(0, GroupRate.maxInWindow(new long[0], SECOND));
    }

    @Test
    void countsEachWholeSecondOfTheWindowOnly() {
        long start = 10 * SECOND;
        long[] arrivals = {start - 1, start, start + 1, start + SECOND, start + 2 * SECOND + 5, start + 3 * SECOND};

        assertEquals(java.util.List.of(2, 1, 1), GroupRate.perSecond(arrivals, start, 3));
    }

    @Test
    void theErrorIsTheAggregateAgainstTheBudget() {
        GroupRate run = new GroupRate(2, 200, 5, 10, 2_020, 202, 230, 420, java.util.List.of(), java.util.List.of(), 0.0,
                null);

        assertEquals(1.0, run.errorPercent(), 1e-9);
        assertTrue(run.summary().contains("202.00 calls/s aggregate over 10 s (+1.00 %), max 230 in any 1 s (420 from the first call"), run.summary());
    }
}
