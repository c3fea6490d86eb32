package dev.courier.ops;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs a one-line summary every {@code courier.log.summary-interval} while Courier runs: the events taken and the
 * outcomes published in the interval (results, and dead letters by category), the rate, and the events in flight
 * and the lag now. Runs on its own daemon thread ({@code courier-summary}); {@link #close} stops it.
 */
public final class SummaryLog implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SummaryLog.class);

    private final Supplier<EngineMetrics.Totals> totals;
    private final LongSupplier nanoTime;
    private final ScheduledExecutorService timer;
    private EngineMetrics.Totals last;
    private long lastAt;

    private SummaryLog(Supplier<EngineMetrics.Totals> totals, LongSupplier nanoTime, ScheduledExecutorService timer) {
        this.totals = totals;
        this.nanoTime = nanoTime;
        this.timer = timer;
        this.last = totals.get();
        this.lastAt = nanoTime.getAsLong();
    }

    /** Logs a summary of {@code totals} every {@code interval}; a zero interval logs nothing. */
    public static SummaryLog start(Duration interval, Supplier<EngineMetrics.Totals> totals) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "courier-summary");
            thread.setDaemon(true);
            return thread;
        });
        SummaryLog summary = new SummaryLog(totals, System::nanoTime, timer);
        if (!interval.isZero()) {
            timer.scheduleAtFixedRate(summary::logNow, interval.toNanos(), interval.toNanos(), TimeUnit.NANOSECONDS);
        }
        return summary;
    }

    private void logNow() {
        try {
            EngineMetrics.Totals now = totals.get();
            long at = nanoTime.getAsLong();
            LOG.info(line(last, now, Duration.ofNanos(at - lastAt)));
            last = now;
            lastAt = at;
        } catch (RuntimeException e) {
            LOG.warn("Cannot log the summary: {}", e.toString());
        }
    }

    /**
     * The summary of what happened between {@code before} and {@code now}, {@code elapsed} apart, for example
     * {@code Last 60 s: 1200 events (20.0/s); 1150 results, 50 dead letters (EXPIRED 20, HTTP_CLIENT_ERROR 30);
     * 12 in flight, lag 340}.
     */
    static String line(EngineMetrics.Totals before, EngineMetrics.Totals now, Duration elapsed) {
        long events = now.consumed() - before.consumed();
        double seconds = Math.max(0.001, elapsed.toNanos() / 1e9);
        Map<String, Long> deadLetters = new java.util.TreeMap<>();
        now.deadLetters().forEach((category, count) -> {
            long delta = count - before.deadLetters().getOrDefault(category, 0L);
            if (delta > 0) {
                deadLetters.put(category, delta);
            }
        });
        long deadLetterCount = deadLetters.values().stream().mapToLong(Long::longValue).sum();
        String categories = deadLetters.isEmpty() ? "" : deadLetters.entrySet().stream()
                .map(entry -> entry.getKey() + " " + entry.getValue()).collect(Collectors.joining(", ", " (", ")"));
        return String.format(Locale.ROOT, "Last %d s: %d events (%.1f/s); %d results, %d dead letters%s; %d in"
                        + " flight, lag %s", Math.round(seconds), events, events / seconds,
                now.results() - before.results(), deadLetterCount, categories, now.inFlight(),
                now.lag() < 0 ? "unknown" : Long.toString(now.lag()));
    }

    /** Stops logging. Idempotent. */
    @Override
    public void close() {
        timer.shutdownNow();
    }
}
