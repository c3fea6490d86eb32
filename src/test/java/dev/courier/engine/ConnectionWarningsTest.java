package dev.courier.engine;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.spi.FilterReply;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ConnectionWarningsTest {

    private final AtomicLong now = new AtomicLong();
    private final ConnectionWarnings warnings = new ConnectionWarnings(now::get);

    @AfterEach
    void forgetTheDeadline() {
        ConnectionWarnings.noDeadline();
    }

    @Test
    void warningsAboutOneAddressBecomeOneLineEveryFiveSecondsCountingTowardsTheTimeout() {
        ConnectionWarnings.expectAnswerWithin(Duration.ofSeconds(15));

        List<String> lines = warnEverySecond("127.0.0.1:1", 15);

        assertThat(lines).containsExactly(
                "Waiting for Kafka at 127.0.0.1:1 (0 s of 15 s)",
                "Waiting for Kafka at 127.0.0.1:1 (5 s of 15 s)",
                "Waiting for Kafka at 127.0.0.1:1 (10 s of 15 s)",
                "Waiting for Kafka at 127.0.0.1:1 (15 s of 15 s)");
    }

    @Test
    void withoutADeadlineTheLineSaysHowLongItHasWaited() {
        List<String> lines = warnEverySecond("broker-1:9092", 6);

        assertThat(lines).containsExactly("Waiting for Kafka at broker-1:9092 (0 s)",
                "Waiting for Kafka at broker-1:9092 (5 s)");
    }

    @Test
    void eachAddressHasAWaitOfItsOwn() {
        assertThat(warnings.fold("a:9092")).isNotNull();
        assertThat(warnings.fold("b:9092")).isNotNull();
        assertThat(warnings.fold("a:9092")).isNull();
    }

    @Test
    void aQuietSpellEndsTheWaitAndTheNextWarningStartsANewOne() {
        warnEverySecond("a:9092", 3);
        now.addAndGet(Duration.ofSeconds(ConnectionWarnings.QUIET_SECONDS + 1).toNanos());

        assertThat(warnings.fold("a:9092")).isEqualTo("Waiting for Kafka at a:9092 (0 s)");
    }

    @Test
    void theAddressIsWrittenAsHostAndPort() {
        assertThat(ConnectionWarnings.address("/127.0.0.1:1")).isEqualTo("127.0.0.1:1");
        assertThat(ConnectionWarnings.address("broker-1/10.0.0.5:9092")).isEqualTo("broker-1:9092");
        assertThat(ConnectionWarnings.address(InetSocketAddress.createUnresolved("broker-1", 9092)))
                .isEqualTo("broker-1:9092");
    }

    @Test
    void onlyTheNetworkClientsConnectionWarningIsFolded() {
        LoggerContext context = new LoggerContext();
        String format = "[AdminClient clientId=x] Connection to node {} ({}) could not be established. Node may not"
                + " be available.";
        Object[] params = {-1, "/127.0.0.1:1"};

        assertThat(warnings.decide(null, context.getLogger("org.apache.kafka.clients.NetworkClient"), Level.WARN,
                format, params, null)).isEqualTo(FilterReply.DENY);
        assertThat(warnings.decide(null, context.getLogger("org.apache.kafka.clients.NetworkClient"), Level.WARN,
                "[Producer clientId=y] Connection to node 1 (/127.0.0.1:2) could not be established. Node may not be"
                        + " available.", null, null)).isEqualTo(FilterReply.DENY);
        assertThat(warnings.fold("127.0.0.1:2")).as("the address comes from the formatted message").isNull();
        assertThat(warnings.decide(null, context.getLogger("org.apache.kafka.clients.NetworkClient"), Level.WARN,
                "Node {} disconnected.", new Object[] {1}, null)).isEqualTo(FilterReply.NEUTRAL);
        assertThat(warnings.decide(null, context.getLogger("dev.courier.engine.Engine"), Level.WARN, format, params,
                null)).isEqualTo(FilterReply.NEUTRAL);
    }

    private List<String> warnEverySecond(String address, int seconds) {
        List<String> lines = new ArrayList<>();
        for (int second = 0; second <= seconds; second++) {
            String line = warnings.fold(address);
            if (line != null) {
                lines.add(line);
            }
            now.addAndGet(Duration.ofSeconds(1).toNanos());
        }
        return lines;
    }
}
