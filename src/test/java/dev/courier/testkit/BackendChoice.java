package dev.courier.testkit;

import java.util.Locale;

import org.testcontainers.DockerClientFactory;

/**
 * Which backend the tests run against, from the system property {@value #PROPERTY}:
 * {@code embedded} (the default: in-JVM broker and registry stand-in), {@code containers}
 * (Apache Kafka and Confluent's registry in Docker) or {@code auto} (containers when a Docker
 * engine answers, embedded otherwise).
 */
enum BackendChoice {
    EMBEDDED,
    CONTAINERS,
    AUTO;

    static final String PROPERTY = "courier.test.sandbox";

    /** @throws IllegalArgumentException naming the property and the allowed values */
    static BackendChoice parse(String value) {
        if (value == null || value.isBlank()) {
            return EMBEDDED;
        }
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    PROPERTY + " must be one of embedded, containers, auto but was '" + value + "'", e);
        }
    }

    static BackendChoice fromSystemProperty() {
        return parse(System.getProperty(PROPERTY));
    }

    /** Starts the chosen backend; blocks until it is ready. */
    SandboxBackend start() {
        return switch (this) {
            case EMBEDDED -> EmbeddedBackend.start();
            case CONTAINERS -> ContainersBackend.start();
            case AUTO -> DockerClientFactory.instance().isDockerAvailable()
                    ? ContainersBackend.start()
                    : EmbeddedBackend.start();
        };
    }
}
