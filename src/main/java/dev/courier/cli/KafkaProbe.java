package dev.courier.cli;

import dev.courier.ops.Health;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.KafkaException;

/**
 * Whether the Kafka cluster answers, for the ready probe: every {@link #EVERY} a background thread
 * ({@code courier-kafka-probe}) asks an admin client of its own to describe the cluster, waiting at most
 * {@code timeout}. The result is read at once; one older than two rounds counts as no answer.
 */
final class KafkaProbe implements Health.Check, AutoCloseable {

    static final Duration EVERY = Duration.ofSeconds(5);

    private final Admin admin;
    private final Duration timeout;
    private final LongSupplier nanoTime = System::nanoTime;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "courier-kafka-probe");
        thread.setDaemon(true);
        return thread;
    });
    private volatile Health.Status last = Health.Status.down("the Kafka cluster has not been asked yet");
    private volatile long lastAt;

    private KafkaProbe(Admin admin, Duration timeout) {
        this.admin = admin;
        this.timeout = timeout;
        this.lastAt = nanoTime.getAsLong();
    }

    /** Starts asking the cluster of {@code kafka}, the first time at once; each answer may take {@code timeout}. */
    static KafkaProbe start(KafkaClients kafka, Duration timeout) {
        KafkaProbe probe = new KafkaProbe(kafka.admin("courier-health"), timeout);
        probe.timer.scheduleWithFixedDelay(probe::probe, 0, EVERY.toMillis(), TimeUnit.MILLISECONDS);
        return probe;
    }

    private void probe() {
        Health.Status status;
        try {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis())).nodes()
                    .get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
            status = Health.Status.up();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (ExecutionException | TimeoutException | KafkaException e) {
            status = Health.Status.down("the Kafka cluster did not answer within " + timeout.toMillis() + " ms");
        }
        last = status;
        lastAt = nanoTime.getAsLong();
    }

    @Override
    public Health.Status check() {
        Duration age = Duration.ofNanos(nanoTime.getAsLong() - lastAt);
        if (age.compareTo(EVERY.multipliedBy(2).plus(timeout).plusSeconds(1)) > 0) {
            return Health.Status.down("the Kafka cluster has not answered for " + age.toSeconds() + " s");
        }
        return last;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        admin.close(Duration.ofSeconds(1));
    }
}
