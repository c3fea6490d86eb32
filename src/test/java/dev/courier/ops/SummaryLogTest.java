package dev.courier.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class SummaryLogTest {

    @Test
    void theLineSaysWhatHappenedInTheIntervalAndWhatIsInFlightNow() {
        TreeMap<String, Long> before = new TreeMap<>();
        before.put("EXPIRED", 5L);
        TreeMap<String, Long> after = new TreeMap<>();
        after.put("EXPIRED", 25L);
        after.put("HTTP_CLIENT_ERROR", 30L);

        String line = SummaryLog.line(new EngineMetrics.Totals(100, 50, before, 7, 10),
                new EngineMetrics.Totals(1300, 1200, after, 12, 340), Duration.ofSeconds(60));

        assertThat(line).isEqualTo("Last 60 s: 1200 events (20.0/s); 1150 results, 50 dead letters (EXPIRED 20,"
                + " HTTP_CLIENT_ERROR 30); 12 in flight, lag 340");
    }

    @Test
    void anUnknownLagIsSaidSo() {
        EngineMetrics.Totals none = new EngineMetrics.Totals(0, 0, new TreeMap<>(), 0, -1);

        assertThat(SummaryLog.line(none, none, Duration.ofSeconds(60)))
                .isEqualTo("Last 60 s: 0 events (0.0/s); 0 results, 0 dead letters; 0 in flight, lag unknown");
    }
}
