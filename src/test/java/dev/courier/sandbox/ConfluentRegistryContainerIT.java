package dev.courier.sandbox;

import java.net.URI;

import dev.courier.testkit.SandboxContainers;
import org.junit.jupiter.api.Timeout;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The {@link RegistryContract} against Confluent's real Schema Registry (with Apache Kafka as its
 * store), so the assertions the stand-in passes are known to describe the real registry. Needs a
 * Docker engine; skipped without one. The containers and their network are removed by
 * Testcontainers when the class is done (the network by its reaper, once the JVM exits).
 */
@Testcontainers(disabledWithoutDocker = true)
@Timeout(300)
class ConfluentRegistryContainerIT extends RegistryContract {

    private static final Network NETWORK = Network.newNetwork();

    @Container
    static final KafkaContainer KAFKA = SandboxContainers.kafka(NETWORK);

    @Container
    static final GenericContainer<?> REGISTRY = SandboxContainers.schemaRegistry(NETWORK, KAFKA);

    @Override
    URI registryUrl() {
        return SandboxContainers.registryUrl(REGISTRY);
    }
}
