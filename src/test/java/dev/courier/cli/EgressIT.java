package dev.courier.cli;

import static dev.courier.engine.EngineHarness.only;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.courier.engine.EngineHarness;
import dev.courier.engine.OutcomeAudit;
import dev.courier.http.HostResolver;
import dev.courier.model.RequestSpec;
import dev.courier.testkit.Closing;
import dev.courier.testkit.RecordingTarget;
import dev.courier.testkit.TestSandbox;
import dev.courier.testkit.WithSandbox;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockResponse;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/**
 * The egress policy and named-target credentials through the whole engine, on the in-JVM broker: free URLs to denied
 * loopback addresses end as POLICY_REFUSED dead letters with no connection, an allowed one is called, and a secret
 * given to a target by {@code ${env:...}} reaches the target and nowhere else: not the logs, the result topic, the
 * dead-letter topic, nor {@code --verbose} output.
 */
@WithSandbox
@Timeout(180)
class EgressIT {

    private static final String CANARY = "canary-7f3e9a1c-secret-value";

    private final TestSandbox sandbox;
    @AutoClose
    private final Closing closing = new Closing();

    EgressIT(TestSandbox sandbox) {
        this.sandbox = sandbox;
    }

    @Test
    void freeUrlsToDeniedAddressesAreRefusedWithNoConnectionAndAllowedOnesAreCalled() throws Exception {
        DeniedListener denied = closing.add(new DeniedListener());
        RecordingTarget target = closing.add(new RecordingTarget(request -> RecordingTarget.status(200)));
        HostResolver resolver = host -> switch (host) {
            case "loopback.test" -> List.of(InetAddress.getByName("127.0.0.2"));
            case "localhost", "allowed.test" -> List.of(InetAddress.getByName("127.0.0.1"));
            default -> throw new UnknownHostException(host);
        };
        int port = denied.port();
        int allowedPort = java.net.URI.create(target.url("/")).getPort();
        EngineHarness harness = closing.add(new EngineHarness(sandbox, 1, Map.of(
                "courier.egress.allowed-ports", "80,443," + port + "," + allowedPort,
                "courier.retry.max-attempts", "3")));
        harness.send("k", EngineHarness.get("literal", "http://127.0.0.2:" + port + "/"));
        harness.send("k", EngineHarness.get("mapped", "http://[::ffff:127.0.0.2]:" + port + "/"));
        harness.send("k", EngineHarness.get("decimal", "http://2130706434:" + port + "/"));
        harness.send("k", EngineHarness.get("by-name", "http://loopback.test:" + port + "/"));
        harness.send("k", EngineHarness.get("ipv6", "http://[::1]:" + port + "/"));
        harness.send("k", EngineHarness.get("port", "http://127.0.0.1:22/"));
        harness.send("k", EngineHarness.get("userinfo", "http://allowed.test@127.0.0.2:" + port + "/"));
        harness.send("k", new RequestSpec("host-header", "GET", "http://allowed.test:" + allowedPort + "/", null, null,
                Map.of("Host", "admin.internal"), null, null, null, null, null, null, null, null, Map.of()));
        harness.send("k", EngineHarness.get("allowed", "http://allowed.test:" + allowedPort + "/ok"));
        harness.start(resolver);

        OutcomeAudit.Outcomes outcomes = harness.awaitOutcomes(9, Duration.ofSeconds(60));

        for (String id : List.of("literal", "mapped", "decimal", "by-name", "ipv6", "port")) {
            ObjectNode deadLetter = only(outcomes.deadLetters(), id);
            assertThat(deadLetter.get("category").asText()).as(id).isEqualTo("POLICY_REFUSED");
            assertThat(deadLetter.get("attempts").asInt()).as(id + " is not retried").isEqualTo(1);
            assertThat(deadLetter.get("errorMessage").asText()).startsWith("Courier's egress policy refused");
        }
        assertThat(only(outcomes.deadLetters(), "port").get("errorMessage").asText())
                .contains("courier.egress.allowed-ports", "port 22");
        assertThat(only(outcomes.deadLetters(), "userinfo").get("category").asText())
                .as("credentials in a URL are refused before the policy sees it").isEqualTo("INVALID_REQUEST");
        assertThat(only(outcomes.deadLetters(), "host-header").get("errorMessage").asText())
                .contains("header Host is managed by the HTTP client");
        assertThat(only(outcomes.results(), "allowed").get("statusCode").asInt()).isEqualTo(200);
        assertThat(denied.accepted()).as("connections to 127.0.0.2").isZero();
        assertThat(target.arrivals("/")).hasSize(1);
    }

    @Test
    void aTargetsSecretReachesTheTargetAndNeverTheLogsTheTopicsOrVerboseOutput() throws Exception {
        RecordingTarget target = closing.add(new RecordingTarget(request -> request.getTarget().startsWith("/fail")
                ? RecordingTarget.status(400)
                : new MockResponse.Builder().code(200).addHeader("Set-Cookie", "session=abc").body("{}").build()));
        Map<String, String> environment = Map.of("PAYMENTS_TOKEN", CANARY);
        Map<String, String> targetSettings = Map.of(
                "courier.targets.payments.base-url", target.url("/"),
                "courier.targets.payments.auth", "bearer",
                "courier.targets.payments.auth-secret", "${env:PAYMENTS_TOKEN}",
                "courier.targets.payments.headers.X-Tenant", "acme");
        EngineHarness harness = closing.add(new EngineHarness(sandbox, 1, targetSettings, environment));
        ListAppender<ILoggingEvent> logs = captureLogs();
        try {
            harness.send("k", new RequestSpec("ok", "POST", null, "payments", "/charges?amount=5", Map.of(),
                    null, null, null, null, null, null, null, null, Map.of()));
            harness.send("k", new RequestSpec("fail", "GET", null, "payments", "/fail?token=event-token", Map.of(),
                    null, null, null, null, null, null, null, null, Map.of()));
            harness.send("k", new RequestSpec("free", "GET", target.url("/fail?api_key=querysecret"), null, null,
                    Map.of("Authorization", "Bearer event-secret", "X-Session-Token", "sess"), null, null, null, 1,
                    null, null, null, null, Map.of()));
            harness.send("k", new RequestSpec("spoof", "GET", null, "payments", "/x",
                    Map.of("authorization", "Bearer spoofed"), null, null, null, null, null, null, null, null,
                    Map.of()));
            harness.start();

            OutcomeAudit.Outcomes outcomes = harness.awaitOutcomes(4, Duration.ofSeconds(60));

            assertThat(only(outcomes.results(), "ok").get("statusCode").asInt()).isEqualTo(200);
            assertThat(only(outcomes.results(), "ok").toString()).contains("\"Set-Cookie\":\"[REDACTED]\"");
            ObjectNode fail = only(outcomes.deadLetters(), "fail");
            assertThat(fail.get("category").asText()).isEqualTo("HTTP_CLIENT_ERROR");
            assertThat(fail.get("request").toString()).contains("/fail?token=[REDACTED]").doesNotContain("event-token");
            ObjectNode free = only(outcomes.deadLetters(), "free");
            assertThat(free.get("request").toString()).contains("api_key=[REDACTED]", "\"Authorization\":\"[REDACTED]\"",
                    "\"X-Session-Token\":\"[REDACTED]\"").doesNotContain("querysecret", "event-secret");
            assertThat(only(outcomes.deadLetters(), "spoof").get("errorMessage").asText())
                    .contains("header authorization is set by target payments");
        } finally {
            ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
            ((Logger) LoggerFactory.getLogger("dev.courier")).setLevel(Level.INFO);
        }
        List<RecordingTarget.Arrival> calls = target.arrivals("/");
        assertThat(calls.stream().filter(a -> a.target().startsWith("/charges")).toList()).singleElement()
                .satisfies(call -> {
                    assertThat(call.request().getHeaders().get("Authorization")).isEqualTo("Bearer " + CANARY);
                    assertThat(call.request().getHeaders().get("X-Tenant")).isEqualTo("acme");
                });
        assertThat(calls).as("the spoofing event is refused before any call")
                .noneMatch(call -> call.target().startsWith("/x"));

        assertThat(logs.list).as("log lines while the engine ran").isNotEmpty()
                .noneMatch(event -> event.getFormattedMessage().contains(CANARY)
                        || (event.getThrowableProxy() != null && event.getThrowableProxy().getMessage() != null
                        && event.getThrowableProxy().getMessage().contains(CANARY)));
        assertThat(raw(harness, harness.settings().topics().results())).as("the result topic").doesNotContain(CANARY);
        assertThat(raw(harness, harness.settings().topics().deadLetters())).as("the dead-letter topic")
                .doesNotContain(CANARY).doesNotContain("event-secret").doesNotContain("querysecret");

        List<String> settings = new ArrayList<>(List.of(
                "-Dkafka.bootstrap.servers=" + sandbox.bootstrapServers(),
                "-Dcourier.schema-registry.url=" + sandbox.registryUrl(),
                "-Dcourier.topics.requests=" + harness.settings().topics().requests(),
                "-Dcourier.topics.results=" + harness.settings().topics().results(),
                "-Dcourier.topics.dead-letters=" + harness.settings().topics().deadLetters()));
        targetSettings.forEach((key, value) -> settings.add("-D" + key + "=" + value));
        Cli.Run consumed = Cli.runWithEnvironment(environment, "", with(settings, "--verbose", "consume", "--topic",
                "dead-letters", "--from-beginning", "--max", "3", "--timeout", "20s"));
        Cli.Run produced = Cli.runWithEnvironment(environment, "{\"id\":\"v\",\"target\":\"payments\",\"path\":\"/v\"}\n",
                with(settings, "--verbose", "produce"));
        Cli.Run failed = Cli.runWithEnvironment(environment, "", with(settings, "--verbose", "produce",
                "-Dcourier.targets.payments.ca-file=/nonexistent/ca.pem"));
        assertThat(consumed.exitCode()).as(consumed.toString()).isZero();
        assertThat(produced.exitCode()).as(produced.toString()).isZero();
        assertThat(failed.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(failed.err()).contains("courier.targets.payments.ca-file", "SettingsException");
        for (Cli.Run run : List.of(consumed, produced, failed)) {
            assertThat(run.out() + run.err()).doesNotContain(CANARY);
        }
    }

    @Test
    void aMissingSecretStopsTheStartNamingTheKeyWithoutShowingAnyValue() {
        // courier run reads the secrets at start; the commands that call no target do not (SecretsWhereUsedTest)
        Cli.Run run = Cli.runWithEnvironment(Map.of("OTHER", CANARY), "", "--verbose", "run",
                "-Dkafka.bootstrap.servers=" + sandbox.bootstrapServers(),
                "-Dcourier.targets.payments.base-url=https://payments.example.com",
                "-Dcourier.targets.payments.auth=bearer",
                "-Dcourier.targets.payments.auth-secret=${env:PAYMENTS_TOKEN}");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(run.err()).contains("courier.targets.payments.auth-secret (from -Dcourier.targets.payments.auth-secret)"
                + " refers to environment variable PAYMENTS_TOKEN, which is not set");
        assertThat(run.out() + run.err()).doesNotContain(CANARY);
    }

    private static String[] with(List<String> settings, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(settings);
        return all.toArray(String[]::new);
    }

    private static ListAppender<ILoggingEvent> captureLogs() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        root.addAppender(appender);
        ((Logger) LoggerFactory.getLogger("dev.courier")).setLevel(Level.DEBUG);
        return appender;
    }

    /** Every record value of {@code topic}, as text, read raw (not through the codec). */
    private static String raw(EngineHarness harness, String topic) {
        StringBuilder all = new StringBuilder();
        try (KafkaConsumer<byte[], byte[]> consumer = harness.kafka().standaloneConsumer("egress-raw")) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : consumer.partitionsFor(topic)) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
                    && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    all.append(new String(record.value(), StandardCharsets.ISO_8859_1)).append('\n');
                }
            }
        }
        return all.toString();
    }

    /** A listener on 127.0.0.2, the denied address, counting the connections it accepts. */
    private static final class DeniedListener implements AutoCloseable {

        private final ServerSocket socket = new ServerSocket();
        private final AtomicInteger accepted = new AtomicInteger();

        DeniedListener() throws IOException {
            socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0));
            Thread thread = new Thread(() -> {
                while (!socket.isClosed()) {
                    try (Socket connection = socket.accept()) {
                        accepted.incrementAndGet();
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "denied-listener");
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        int accepted() {
            return accepted.get();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
