package dev.courier.testkit;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.awaitility.Awaitility;

/**
 * A test's handle on the shared broker and schema registry. One instance serves every test
 * class in the JVM, so tests isolate by using their own topics ({@link #newTopic}), consumer
 * groups and subjects, never by cleaning up shared state.
 *
 * <p>Thread-safe. Owned by {@link SandboxExtension}, which closes it when all tests are done.
 */
public final class TestSandbox implements AutoCloseable {

    /** Bound on creating a topic and seeing all its partitions led. */
    static final Duration TOPIC_TIMEOUT = Duration.ofSeconds(30);

    private final SandboxBackend backend;
    private final Admin admin;

    private TestSandbox(SandboxBackend backend, Admin admin) {
        this.backend = backend;
        this.admin = admin;
    }

    static TestSandbox start(BackendChoice choice) {
        SandboxBackend backend = choice.start();
        try {
            Admin admin = Admin.create(Map.of(
                    AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, backend.bootstrapServers(),
                    AdminClientConfig.CLIENT_ID_CONFIG, "courier-test-sandbox"));
            return new TestSandbox(backend, admin);
        } catch (RuntimeException e) {
            backend.close();
            throw e;
        }
    }

    /** The broker's bootstrap address, e.g. {@code 127.0.0.1:41234}. */
    public String bootstrapServers() {
        return backend.bootstrapServers();
    }

    /** The schema registry's base URL, e.g. {@code http://127.0.0.1:40111}. */
    public URI registryUrl() {
        return backend.registryUrl();
    }

    /**
     * Creates a topic named {@code <prefix>-<random>} with {@code partitions} partitions (one
     * replica) and returns its name once every partition has a leader (at most 30 s).
     */
    public String newTopic(String prefix, int partitions) {
        String topic = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        try {
            admin.createTopics(Set.of(new NewTopic(topic, partitions, (short) 1)))
                    .all().get(TOPIC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic " + topic, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create topic " + topic + " on " + bootstrapServers(), e);
        }
        Awaitility.await("partitions of " + topic + " have leaders")
                .atMost(TOPIC_TIMEOUT)
                .pollInterval(Duration.ofMillis(50))
                .ignoreExceptions()
                .until(() -> allLed(topic, partitions));
        return topic;
    }

    @Override
    public String toString() {
        return "TestSandbox[" + backend.name() + ", kafka " + bootstrapServers() + ", registry " + registryUrl() + "]";
    }

    /** Closes the admin client and stops the backend. */
    @Override
    public void close() {
        try {
            admin.close(Duration.ofSeconds(5));
        } finally {
            backend.close();
        }
    }

    private boolean allLed(String topic, int partitions) throws Exception {
        TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                .get(5, TimeUnit.SECONDS).get(topic);
        return description.partitions().size() == partitions
                && description.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty());
    }
}
