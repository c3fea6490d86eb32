package dev.courier.sandbox;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BrokerPresenceTest {

    @Test
    void aBuildWithTheBrokerPasses() {
        assertThatCode(BrokerPresence::require).doesNotThrowAnyException();
    }

    @Test
    void aBuildWithoutTheBrokerIsRefusedSayingWhichJarHasIt() {
        assertThatThrownBy(() -> BrokerPresence.require("kafka.server.NoSuchBroker", getClass().getClassLoader()))
                .isInstanceOf(SandboxStartupException.class)
                .hasMessageContaining("has no in-JVM Kafka broker")
                .hasMessageContaining("full jar (mvn package)");
    }
}
