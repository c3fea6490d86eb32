package dev.courier.ops;

import dev.courier.dispatch.DispatchState;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the dispatcher for its state every {@link #EVERY} and hands each answer to the meters, on its own daemon
 * thread ({@code courier-state-meters}), so a scrape never waits for the dispatch thread. At most one question is
 * open at a time: while the dispatch thread has not answered, no new one is asked and the meters keep the last
 * answer. {@link #close} stops it.
 */
public final class StateSampler implements AutoCloseable {

    /** How often the state is asked for: the meters are at most this old, plus the dispatch thread's answer time. */
    public static final Duration EVERY = Duration.ofSeconds(1);

    private static final Logger LOG = LoggerFactory.getLogger(StateSampler.class);

    private final Supplier<CompletableFuture<DispatchState>> ask;
    private final Consumer<DispatchState> publish;
    private final Executor publisher;
    private final ScheduledExecutorService timer;
    private CompletableFuture<?> open; // the timer thread's (or the test's) only

    StateSampler(Supplier<CompletableFuture<DispatchState>> ask, Consumer<DispatchState> publish, Executor publisher,
            ScheduledExecutorService timer) {
        this.ask = ask;
        this.publish = publish;
        this.publisher = publisher;
        this.timer = timer;
    }

    /** Asks {@code ask} every {@code every} (the first time at once) and gives each answer to {@code publish}. */
    static StateSampler start(Duration every, Supplier<CompletableFuture<DispatchState>> ask,
            Consumer<DispatchState> publish) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "courier-state-meters");
            thread.setDaemon(true);
            return thread;
        });
        StateSampler sampler = new StateSampler(ask, publish, timer, timer);
        timer.scheduleWithFixedDelay(sampler::sample, 0, every.toNanos(), TimeUnit.NANOSECONDS);
        return sampler;
    }

    /** Asks for the state unless the last question is still open; its answer is published on the publisher. */
    void sample() {
        if (open != null && !open.isDone()) {
            return;
        }
        try {
            open = ask.get().thenAcceptAsync(publish, publisher).exceptionally(failure -> {
                LOG.debug("The dispatcher's state is not published: {}", failure.toString());
                return null;
            });
        } catch (RuntimeException e) {
            LOG.warn("Cannot ask the dispatcher for its state: {}", e.toString());
        }
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
