package dev.courier.cli;

import dev.courier.intake.EngineListener;
import dev.courier.model.AttemptResult;
import dev.courier.model.DispatchRequest;
import dev.courier.model.Outcome;
import dev.courier.publish.Origin;
import java.io.PrintStream;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Counts what the engine did during the demo, for its progress bar and summary. Thread-safe. */
final class DemoTally implements EngineListener {

    private final AtomicLong published = new AtomicLong();
    private final AtomicLong attempts = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final Map<String, AtomicLong> results = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> deadLetters = new ConcurrentHashMap<>();

    @Override
    public void onAttempt(DispatchRequest request, int attempt, AttemptResult result) {
        attempts.incrementAndGet();
        if (attempt > 1) {
            retries.incrementAndGet();
        }
    }

    @Override
    public void onPublished(Origin origin, Outcome outcome) {
        if (outcome instanceof Outcome.Result result) {
            results.computeIfAbsent(String.valueOf(result.status()), s -> new AtomicLong()).incrementAndGet();
        } else {
            deadLetters.computeIfAbsent(((Outcome.DeadLetter) outcome).category().name(), c -> new AtomicLong())
                    .incrementAndGet();
        }
        published.incrementAndGet();
    }

    long published() {
        return published.get();
    }

    long attempts() {
        return attempts.get();
    }

    /** Prints results by status, dead letters by category, attempts and retries. */
    void print(PrintStream out) {
        out.printf("Results       %6d%n", total(results));
        new TreeMap<>(results).forEach((status, n) -> out.printf("  %-24s %6d%n", "HTTP " + status, n.get()));
        out.printf("Dead letters  %6d%n", total(deadLetters));
        new TreeMap<>(deadLetters).forEach((category, n) -> out.printf("  %-24s %6d%n", category, n.get()));
        out.printf("HTTP attempts %6d (%d of them retries)%n", attempts.get(), retries.get());
    }

    private static long total(Map<String, AtomicLong> counts) {
        return counts.values().stream().mapToLong(AtomicLong::get).sum();
    }
}
