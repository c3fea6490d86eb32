package dev.courier.engine;

import dev.courier.intake.EngineListener;
import dev.courier.model.AttemptResult;
import dev.courier.model.DispatchRequest;
import dev.courier.model.Outcome;
import dev.courier.model.Redactor;
import dev.courier.ops.DeadLetterLog;
import dev.courier.ops.EngineMetrics;
import dev.courier.publish.Origin;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;
import org.apache.kafka.common.TopicPartition;

/**
 * What {@code courier run} hears from its engine, turned into metrics ({@link EngineMetrics}), dead-letter warnings
 * ({@link DeadLetterLog}) and what the health checks read: when the intake loop last turned, and what it saw.
 * Everything here is quick: the listener's methods run on the engine's threads. Thread-safe.
 */
final class EngineObserver implements EngineListener {

    /** How often intake's view (lag, paused partitions, group membership) is sampled. */
    static final Duration SAMPLE_EVERY = Duration.ofSeconds(1);

    /**
     * What intake saw at its last sample.
     *
     * @param generation     the group generation; 0 or less when not a member
     * @param sinceHeartbeat since the coordinator last answered a heartbeat; null when the client does not say
     * @param commitPending  how long a commit has been pending; zero when none is
     */
    record IntakeSample(int assigned, int paused, long inFlight, int generation, Duration sinceHeartbeat,
            Duration commitPending) {
    }

    private final EngineMetrics metrics;
    private final DeadLetterLog deadLetters;
    private final Redactor redactor;
    private final Clock clock;
    private final LongSupplier nanoTime;
    private final long startedAt;
    private volatile long lastPolled;
    private volatile boolean polled;
    private volatile IntakeSample sample;
    private long lastSample;

    EngineObserver(EngineMetrics metrics, DeadLetterLog deadLetters, Redactor redactor, Clock clock,
            LongSupplier nanoTime) {
        this.metrics = metrics;
        this.deadLetters = deadLetters;
        this.redactor = redactor;
        this.clock = clock;
        this.nanoTime = nanoTime;
        this.startedAt = nanoTime.getAsLong();
        this.lastPolled = startedAt;
    }

    @Override
    public void onTaken(Origin origin) {
        metrics.consumed();
    }

    @Override
    public void onAttempt(DispatchRequest request, int attempt, AttemptResult result) {
        metrics.attempt(request.host(), statusClass(result), result.latency());
    }

    /** {@code 2xx} and the like for a response; the failure's kind in lower case for none. */
    static String statusClass(AttemptResult result) {
        if (result instanceof AttemptResult.Response response) {
            return response.status() / 100 + "xx";
        }
        return ((AttemptResult.Failure) result).kind().name().toLowerCase(Locale.ROOT);
    }

    @Override
    public void onRetryScheduled(DispatchRequest request, int attempt, Duration delay) {
        metrics.retryScheduled();
    }

    @Override
    public void onRateLimited(DispatchRequest request, String key, Duration waited) {
        metrics.rateLimited(key == null ? EngineMetrics.GLOBAL : key, waited);
    }

    @Override
    public void onPublished(Origin origin, Outcome outcome) {
        Duration endToEnd = origin.timestamp() < 0 ? null
                : Duration.ofMillis(clock.millis() - origin.timestamp());
        if (outcome instanceof Outcome.DeadLetter dead) {
            metrics.outcome(EngineMetrics.DEAD_LETTER, dead.category().name(), endToEnd);
            String requestId = origin.request() == null ? null : origin.request().id();
            String correlationId = origin.request() == null ? null : origin.request().correlationId();
            deadLetters.deadLetter(requestId, correlationId, dead.category().name(), dead.lastStatus(),
                    dead.attempts().count(), origin.source().toString(), redactor.text(dead.message()));
        } else {
            metrics.outcome(EngineMetrics.RESULT, null, endToEnd);
        }
    }

    @Override
    public void onCommitted(Duration took) {
        metrics.committed(took);
    }

    @Override
    public void onTransactionAborted() {
        metrics.transactionAborted();
    }

    @Override
    public void onPolled(IntakeView view) {
        long now = nanoTime.getAsLong();
        lastPolled = now;
        polled = true;
        if (sample != null && now - lastSample < SAMPLE_EVERY.toNanos()) {
            return;
        }
        lastSample = now;
        IntakeSample taken = new IntakeSample(view.assigned(), view.paused(), view.inFlight(), view.generation(),
                view.sinceHeartbeat(), view.commitPendingFor());
        sample = taken;
        metrics.intake(taken.assigned(), taken.paused(), taken.inFlight());
        List<EngineMetrics.PartitionLag> lag = new ArrayList<>();
        for (Map.Entry<TopicPartition, Long> entry : view.lag().entrySet()) {
            lag.add(new EngineMetrics.PartitionLag(entry.getKey().topic(), entry.getKey().partition(),
                    entry.getValue()));
        }
        metrics.lag(lag);
    }

    /** How long since the intake loop last turned (since the engine started, before its first turn). */
    Duration sinceIntakeTurned() {
        return Duration.ofNanos(nanoTime.getAsLong() - lastPolled);
    }

    /** Whether the intake loop has turned at all. */
    boolean intakeTurned() {
        return polled;
    }

    /** What intake saw at its last sample; null before its first turn. */
    IntakeSample sample() {
        return sample;
    }
}
