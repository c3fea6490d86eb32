package dev.courier.sandbox;

/**
 * Whether this build carries the in-JVM Kafka broker. The slim jar of the container image ({@code mvn -Pslim})
 * leaves the broker's artifacts out; there {@code courier dev} and {@code courier demo} must say so plainly
 * instead of failing on a missing class. Stateless and thread-safe.
 */
final class BrokerPresence {

    /** A class of the broker that {@link EmbeddedKafka} starts. */
    static final String BROKER_CLASS = "kafka.server.KafkaRaftServer";

    private BrokerPresence() {
    }

    /**
     * @param brokerClass the class whose presence stands for the broker's artifacts
     * @throws SandboxStartupException naming what is missing and how to get a build that has it
     */
    static void require(String brokerClass, ClassLoader loader) {
        try {
            Class.forName(brokerClass, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new SandboxStartupException("this build of Courier has no in-JVM Kafka broker (the container image"
                    + " leaves it out), so it cannot run the local sandbox; run courier dev or courier demo from the"
                    + " full jar (mvn package), or start the docker-compose stack");
        }
    }

    static void require() {
        require(BROKER_CLASS, BrokerPresence.class.getClassLoader());
    }
}
