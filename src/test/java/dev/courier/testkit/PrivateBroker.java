package dev.courier.testkit;

import dev.courier.sandbox.EmbeddedKafka;
import dev.courier.sandbox.RegistryStandIn;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.awaitility.Awaitility;

/**
 * A broker and a registry stand-in of one test's own, for scenarios that stop and restart the broker,
 * which a test must never do to the shared sandbox other tests use. Both listen on free ports of
 * 127.0.0.1; the broker keeps its port and data across {@link #stopBroker()} and {@link #restartBroker()}.
 *
 * <p>Thread-safe. The test that starts it closes it.
 */
public final class PrivateBroker implements AutoCloseable {

    private final EmbeddedKafka kafka;
    private final RegistryStandIn registry;

    private PrivateBroker(EmbeddedKafka kafka, RegistryStandIn registry) {
        this.kafka = kafka;
        this.registry = registry;
    }

    /** Starts a broker and a registry stand-in; returns once the broker answers clients. */
    public static PrivateBroker start() {
        EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafka.Options.defaults());
        try {
            return new PrivateBroker(kafka, RegistryStandIn.start(RegistryStandIn.Options.defaults()));
        } catch (RuntimeException e) {
            kafka.close();
            throw e;
        }
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    public URI registryUrl() {
        return registry.url();
    }

    /** Shuts the broker down (cleanly); its port and data are kept. */
    public void stopBroker() {
        kafka.stop();
    }

    /** Starts the broker again on the same port and data; returns once it answers clients. */
    public void restartBroker() {
        kafka.restart();
    }

    /**
     * Creates a topic named {@code <prefix>-<random>} with {@code partitions} partitions and returns its
     * name once every partition has a leader (at most 30 s).
     */
    public String newTopic(String prefix, int partitions) {
        String topic = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.CLIENT_ID_CONFIG, "courier-test-private-broker"))) {
            admin.createTopics(Set.of(new NewTopic(topic, partitions, (short) 1))).all()
                    .get(TestSandbox.TOPIC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            Awaitility.await("partitions of " + topic + " have leaders").atMost(TestSandbox.TOPIC_TIMEOUT)
                    .pollInterval(Duration.ofMillis(50)).ignoreExceptions()
                    .until(() -> {
                        TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                                .get(5, TimeUnit.SECONDS).get(topic);
                        return description.partitions().size() == partitions && description.partitions().stream()
                                .allMatch(p -> p.leader() != null && !p.leader().isEmpty());
                    });
            return topic;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic " + topic, e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create topic " + topic + " on " + bootstrapServers(), e);
        }
    }

    /** Stops the registry and the broker and deletes the broker's data. */
    @Override
    public void close() {
        try {
            registry.close();
        } finally {
            kafka.close();
        }
    }
}
