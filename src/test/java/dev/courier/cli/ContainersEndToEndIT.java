package dev.courier.cli;

import dev.courier.engine.Registry;
import dev.courier.testkit.SandboxContainers;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Timeout;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The end-to-end scenarios against Apache Kafka ({@code apache/kafka}) and Confluent's Schema Registry
 * ({@code confluentinc/cp-schema-registry}) in containers, the same images the compose stack runs. Needs a Docker
 * engine and is skipped without one (Testcontainers reports it disabled); the same scenarios run on the in-JVM sandbox
 * in {@link SandboxEndToEndIT}. Run it alone with
 * {@code mvn verify -Dit.test=ContainersEndToEndIT -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Testcontainers(disabledWithoutDocker = true)
@Timeout(600)
class ContainersEndToEndIT extends EndToEndScenarios {

    /** Removed by Testcontainers' reaper once the JVM exits, as in ConfluentRegistryContainerIT. */
    private static final Network NETWORK = Network.newNetwork();

    @Container
    static final KafkaContainer KAFKA = SandboxContainers.kafka(NETWORK);

    @Container
    static final GenericContainer<?> REGISTRY = SandboxContainers.schemaRegistry(NETWORK, KAFKA);

    @Override
    String bootstrapServers() {
        return KAFKA.getBootstrapServers();
    }

    @Override
    URI registryUrl() {
        return SandboxContainers.registryUrl(REGISTRY);
    }

    @Override
    String newTopic(String prefix, int partitions) {
        String topic = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            admin.createTopics(Set.of(new NewTopic(topic, partitions, (short) 1))).all()
                    .get(Duration.ofSeconds(30).toMillis(), TimeUnit.MILLISECONDS);
            return topic;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic " + topic, e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create topic " + topic + " on " + bootstrapServers(), e);
        }
    }
}
