package dev.courier.engine;

import dev.courier.ops.Health;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The periodic half of a ready check that asks something outside the process ({@link KafkaProbe},
 * {@link RegistryProbe}): every {@link #EVERY} a daemon thread runs the probe, and {@link #check} answers at once with
 * its last result; a result older than two rounds and the longest a probe may take counts as no answer. Thread-safe.
 */
final class Probing implements AutoCloseable {

    static final Duration EVERY = Duration.ofSeconds(5);

    private final String what;
    private final Duration stale;
    private final LongSupplier nanoTime = System::nanoTime;
    private final ScheduledExecutorService timer;
    private volatile Health.Status last;
    private volatile long lastAt;

    /**
     * Starts probing, the first time at once.
     *
     * @param what       what is asked, for messages ("the Kafka cluster")
     * @param threadName the probing thread's name
     * @param longest    the longest one probe may take
     * @param probe      asks once and says how it went; null when interrupted (nothing is recorded)
     */
    Probing(String what, String threadName, Duration longest, Supplier<Health.Status> probe) {
        this.what = what;
        this.stale = EVERY.multipliedBy(2).plus(longest);
        this.last = Health.Status.down(what + " has not been asked yet");
        this.lastAt = nanoTime.getAsLong();
        this.timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, threadName);
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(() -> record(probe.get()), 0, EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void record(Health.Status status) {
        if (status != null) {
            last = status;
            lastAt = nanoTime.getAsLong();
        }
    }

    /** The last probe's result, or down when it is too old. */
    Health.Status check() {
        Duration age = Duration.ofNanos(nanoTime.getAsLong() - lastAt);
        if (age.compareTo(stale) > 0) {
            return Health.Status.down(what + " has not answered for " + age.toSeconds() + " s");
        }
        return last;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
