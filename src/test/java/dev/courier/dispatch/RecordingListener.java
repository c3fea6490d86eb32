package dev.courier.dispatch;

import dev.courier.model.AttemptResult;
import dev.courier.model.DispatchRequest;
import dev.courier.model.Outcome;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/** A {@link DispatchListener} that keeps everything it hears, with the thread it heard it on. Thread-safe. */
final class RecordingListener implements DispatchListener<String> {

    /** One outcome, with its context and the name of the thread that reported it. */
    record Reported(String context, Outcome outcome, String thread) {
    }

    private final List<Reported> outcomes = new CopyOnWriteArrayList<>();
    private final List<String> abandoned = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> attempts = new ConcurrentHashMap<>();
    private final Semaphore reported = new Semaphore(0);

    @Override
    public void onOutcome(String context, DispatchRequest request, Outcome outcome) {
        outcomes.add(new Reported(context, outcome, Thread.currentThread().getName()));
        reported.release();
    }

    /** Waits until {@code count} more outcomes have been reported; false when the timeout passes first. */
    boolean awaitOutcomes(int count, Duration timeout) throws InterruptedException {
        return reported.tryAcquire(count, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void onAbandoned(String context) {
        abandoned.add(context);
    }

    @Override
    public void onAttempt(String context, DispatchRequest request, int attempt, AttemptResult result) {
        attempts.merge(context, 1, Integer::sum);
    }

    List<Reported> outcomes() {
        return outcomes;
    }

    /** The one outcome reported for {@code context}; fails when there is none or more than one. */
    Outcome outcomeOf(String context) {
        List<Outcome> found = outcomes.stream().filter(r -> r.context().equals(context)).map(Reported::outcome)
                .toList();
        if (found.size() != 1) {
            throw new AssertionError("expected one outcome for " + context + ", got " + found);
        }
        return found.get(0);
    }

    List<String> abandoned() {
        return abandoned;
    }

    int attemptsHeard(String context) {
        return attempts.getOrDefault(context, 0);
    }
}
