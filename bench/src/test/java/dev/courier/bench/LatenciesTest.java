package dev.courier.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LatenciesTest {

    @Test
    void percentilesAreNearestRankOverTheRecordedMilliseconds() {
        Latencies latencies = new Latencies();
        for (long ms = 1000; ms >= 1; ms--) {
            latencies.record(ms);
        }

        assertEquals(1000, latencies.count());
        assertEquals(500.0, latencies.percentile(50));
        assertEquals(990.0, latencies.percentile(99));
        assertEquals(1.0, latencies.percentile(0));
        assertEquals(1000.0, latencies.max());
    }

    @Test
    void aSingleSlowOutlierShowsInTheMaxButNotInTheP99() {
        Latencies latencies = new Latencies();
        for (int i = 0; i < 999; i++) {
            latencies.record(5);
        }
        latencies.record(60_000);

        assertEquals(5.0, latencies.percentile(50));
        assertEquals(5.0, latencies.percentile(99));
        assertTrue(Math.abs(latencies.max() - 60_000) <= 60, "max " + latencies.max() + " within 0.1 % of 60,000");
    }

    @Test
    void aNegativeLatencyFromClocksAMillisecondApartCountsAsZero() {
        Latencies latencies = new Latencies();
        latencies.record(-1);

        assertEquals(0.0, latencies.max());
    }

    @Test
    void withNothingRecordedThereAreNoFigures() {
        Latencies latencies = new Latencies();

        assertEquals(0, latencies.count());
        assertNull(latencies.percentile(99));
        assertNull(latencies.max());
    }
}
