package dev.courier.testkit;

import java.net.URI;

import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.kafka.KafkaContainer;

/** Apache Kafka and Confluent's Schema Registry in Docker containers (see {@link SandboxContainers}). */
final class ContainersBackend implements SandboxBackend {

    private final Network network;
    private final KafkaContainer kafka;
    private final GenericContainer<?> registry;

    private ContainersBackend(Network network, KafkaContainer kafka, GenericContainer<?> registry) {
        this.network = network;
        this.kafka = kafka;
        this.registry = registry;
    }

    /** Starts both containers; blocks until the registry answers (bounded by the containers' wait strategies). */
    static ContainersBackend start() {
        Network network = Network.newNetwork();
        KafkaContainer kafka = SandboxContainers.kafka(network);
        GenericContainer<?> registry = SandboxContainers.schemaRegistry(network, kafka);
        ContainersBackend backend = new ContainersBackend(network, kafka, registry);
        try {
            registry.start(); // starts kafka first: the registry depends on it
            return backend;
        } catch (RuntimeException e) {
            backend.close();
            throw e;
        }
    }

    @Override
    public String bootstrapServers() {
        return kafka.getBootstrapServers();
    }

    @Override
    public URI registryUrl() {
        return SandboxContainers.registryUrl(registry);
    }

    @Override
    public String name() {
        return "containers";
    }

    /** Stops the registry, then Kafka, then removes the network. */
    @Override
    public void close() {
        try {
            registry.stop();
            kafka.stop();
        } finally {
            network.close();
        }
    }
}
