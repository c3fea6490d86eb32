package dev.courier.testkit;

import java.net.URI;
import java.time.Duration;

import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The real thing in containers: Apache Kafka and Confluent's Schema Registry on one Docker
 * network. Used by the containers backend and by tests that compare the stand-ins with the
 * originals. The factories only configure; callers start and stop the containers.
 */
public final class SandboxContainers {

    /** The Apache Kafka image. */
    public static final DockerImageName KAFKA_IMAGE = DockerImageName.parse("apache/kafka:4.1.0");

    /** Confluent's Schema Registry image. */
    public static final DockerImageName SCHEMA_REGISTRY_IMAGE = DockerImageName.parse("confluentinc/cp-schema-registry:7.7.1");

    /** How the registry reaches the broker inside the network. */
    static final String KAFKA_NETWORK_LISTENER = "kafka:19092";

    private static final int REGISTRY_PORT = 8081;
    private static final Duration REGISTRY_STARTUP_TIMEOUT = Duration.ofMinutes(2);

    private SandboxContainers() {}

    /** A single-node Kafka broker reachable from the host and, as {@code kafka:19092}, from {@code network}. */
    public static KafkaContainer kafka(Network network) {
        return new KafkaContainer(KAFKA_IMAGE)
                .withNetwork(network)
                .withListener(KAFKA_NETWORK_LISTENER);
    }

    /** Confluent's Schema Registry, storing its schemas in {@code kafka}; ready once {@code GET /subjects} answers. */
    public static GenericContainer<?> schemaRegistry(Network network, KafkaContainer kafka) {
        return new GenericContainer<>(SCHEMA_REGISTRY_IMAGE)
                .withNetwork(network)
                .withNetworkAliases("schema-registry")
                .withExposedPorts(REGISTRY_PORT)
                .withEnv("SCHEMA_REGISTRY_HOST_NAME", "schema-registry")
                .withEnv("SCHEMA_REGISTRY_LISTENERS", "http://0.0.0.0:" + REGISTRY_PORT)
                .withEnv("SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS", "PLAINTEXT://" + KAFKA_NETWORK_LISTENER)
                .dependsOn(kafka)
                .waitingFor(Wait.forHttp("/subjects").forStatusCode(200).withStartupTimeout(REGISTRY_STARTUP_TIMEOUT));
    }

    /** The registry's base URL as seen from the host, e.g. {@code http://localhost:32771}. */
    public static URI registryUrl(GenericContainer<?> registry) {
        return URI.create("http://" + registry.getHost() + ":" + registry.getMappedPort(REGISTRY_PORT));
    }
}
