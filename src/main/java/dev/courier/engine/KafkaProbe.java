package dev.courier.engine;

import dev.courier.ops.Health;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.KafkaException;

/**
 * Whether the Kafka cluster answers, for the ready probe: every {@link Probing#EVERY} a background thread
 * ({@code courier-kafka-probe}) asks an admin client of its own to describe the cluster, waiting at most
 * {@code timeout}. The result is read at once; one older than two rounds counts as no answer.
 */
final class KafkaProbe implements Health.Check, AutoCloseable {

    private final Admin admin;
    private final Duration timeout;
    private final Probing probing;

    private KafkaProbe(Admin admin, Duration timeout) {
        this.admin = admin;
        this.timeout = timeout;
        // the answer is awaited a second longer than the request's own timeout
        this.probing = new Probing("the Kafka cluster", "courier-kafka-probe", timeout.plusSeconds(1), this::probe);
    }

    /** Starts asking the cluster of {@code kafka}, the first time at once; each answer may take {@code timeout}. */
    static KafkaProbe start(KafkaClients kafka, Duration timeout) {
        return new KafkaProbe(kafka.admin("courier-health"), timeout);
    }

    private Health.Status probe() {
        try {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis())).nodes()
                    .get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
            return Health.Status.up();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException | TimeoutException | KafkaException e) {
            return Health.Status.down("the Kafka cluster did not answer within " + timeout.toMillis() + " ms");
        }
    }

    @Override
    public Health.Status check() {
        return probing.check();
    }

    @Override
    public void close() {
        probing.close();
        admin.close(Duration.ofSeconds(1));
    }
}
