package dev.courier.cli;

import static dev.courier.engine.EngineHarness.get;
import static dev.courier.engine.EngineHarness.only;
import static dev.courier.testkit.RecordingTarget.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.courier.engine.EngineHarness;
import dev.courier.engine.OutcomeAudit;
import dev.courier.engine.Registry;
import dev.courier.testkit.Closing;
import dev.courier.testkit.CourierProcess;
import dev.courier.testkit.RecordingTarget;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockResponse;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * The end-to-end scenarios, written once and run against each backend: the in-JVM sandbox
 * ({@link SandboxEndToEndIT}, what CI runs) and Apache Kafka with Confluent's own Schema Registry in containers
 * ({@link ContainersEndToEndIT}, where a Docker engine answers), so the codec is checked against the real registry.
 *
 * <p>The in-JVM run is kept short: EngineIT, ExactlyOnceIT, RunProcessIT and FaultInjectionIT try each of these
 * behaviours in more depth on the sandbox; here each scenario is one compact run.
 */
abstract class EndToEndScenarios {

    private static final Duration OUTCOMES = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @AutoClose
    final Closing closing = new Closing();

    /** The broker's bootstrap servers, as the test JVM and a child process reach them. */
    abstract String bootstrapServers();

    /** The schema registry's base URL. */
    abstract URI registryUrl();

    /** Creates a topic named after {@code prefix} with {@code partitions} partitions and returns its name. */
    abstract String newTopic(String prefix, int partitions);

    @Test
    void successRetryThenSuccessDeadLetterPoisonRecordAndReplayEachEndInTheirOutcomes() throws Exception {
        Map<String, AtomicInteger> flaky = new ConcurrentHashMap<>();
        AtomicBoolean fixed = new AtomicBoolean();
        RecordingTarget target = closing.add(new RecordingTarget(request -> {
            String path = request.getTarget();
            if (path.startsWith("/flaky")) {
                return flaky.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet() <= 2 ? status(503)
                        : status(200);
            }
            return path.startsWith("/missing") && !fixed.get() ? status(404) : status(200);
        }));
        EngineHarness harness = closing.add(harness(Map.of()));
        harness.send("k-ok", get("e2e-ok", target.url("/ok")));
        harness.send("k-flaky", get("e2e-flaky", target.url("/flaky")));
        harness.send("k-missing", get("e2e-missing", target.url("/missing")));
        harness.sendRaw("not-avro".getBytes(StandardCharsets.UTF_8), "{\"id\":\"json\"}".getBytes(StandardCharsets.UTF_8));
        byte[] valid = harness.codec().encodeRequest(harness.settings().topics().requests(), get("x", target.url("/x")));
        harness.sendRaw("unknown-schema".getBytes(StandardCharsets.UTF_8),
                ByteBuffer.allocate(valid.length).put(valid).putInt(1, 0x7ffffff0).array());
        harness.send("k-after", get("e2e-after", target.url("/ok?after")));
        harness.start();

        OutcomeAudit.Outcomes outcomes = harness.awaitOutcomes(6, OUTCOMES);

        assertThat(only(outcomes.results(), "e2e-ok").get("attempts").intValue()).isEqualTo(1);
        assertThat(only(outcomes.results(), "e2e-flaky").get("attempts").intValue()).isEqualTo(3);
        ObjectNode missing = only(outcomes.deadLetters(), "e2e-missing");
        assertThat(missing.get("category").textValue()).isEqualTo("HTTP_CLIENT_ERROR");
        assertThat(missing.get("lastStatusCode").intValue()).isEqualTo(404);
        assertThat(missing.get("request").get("url").textValue()).isEqualTo(target.url("/missing"));
        assertThat(rawKeysOf(outcomes, "UNDECODABLE")).containsExactlyInAnyOrder("not-avro", "unknown-schema");
        assertThat(only(outcomes.results(), "e2e-after").get("statusCode").intValue()).as("the stream goes on")
                .isEqualTo(200);
        assertThat(outcomes.duplicated()).isEmpty();
        assertThat(target.arrivals("/flaky")).hasSize(3);
        theOutcomesAreInTheConfluentWireFormatWithSchemasTheRegistryServes(harness);

        // the target is fixed: courier replay sends the dead letter's request again, and it becomes a result
        fixed.set(true);
        List<String> replay = new ArrayList<>(List.of("replay", "--category", "HTTP_CLIENT_ERROR"));
        harness.processSettings(Map.of()).forEach((key, value) -> replay.add("-D" + key + "=" + value));
        Cli.Run replayed = Cli.run(replay.toArray(String[]::new));
        assertThat(replayed.exitCode()).as(replayed.toString()).isZero();
        assertThat(replayed.out()).contains("Replayed 1 event to " + harness.settings().topics().requests());
        OutcomeAudit.Outcomes afterReplay = harness.awaitOutcomes(7, OUTCOMES);
        assertThat(only(afterReplay.results(), "e2e-missing").get("statusCode").intValue()).isEqualTo(200);
        assertThat(target.arrivals("/missing")).hasSize(2);
    }

    @Test
    void exactlyOnceHoldsAcrossAKilledInstanceAndItsRestart() throws Exception {
        RecordingTarget target = closing.add(new RecordingTarget(request -> new MockResponse.Builder().code(200)
                .headersDelay(50, TimeUnit.MILLISECONDS).build()));
        Map<String, String> exactlyOnce = Map.of(
                "courier.delivery.guarantee", "exactly-once",
                "courier.transactional-id", "e2e-" + UUID.randomUUID(),
                "courier.workers", "2",
                "courier.ordering", "unordered",
                // the restart gets the partitions once the killed instance's session expires: the least Kafka allows
                "kafka.session.timeout.ms", "6000");
        EngineHarness harness = closing.add(harness(exactlyOnce));
        List<String> ids = new ArrayList<>();
        int events = 80;
        for (int i = 0; i < events; i++) {
            ids.add("e2e-eo-" + i);
            harness.sendAsync("k" + (i % 8), get("e2e-eo-" + i, target.url("/eo?i=" + i)));
        }
        harness.flush();

        CourierProcess first = closing.add(CourierProcess.start(harness.processSettings(exactlyOnce), "run"));
        await("the first instance is at work").atMost(Duration.ofSeconds(60))
                .until(() -> target.arrivals("/eo").size() >= events / 4);
        first.kill();
        int before = harness.outcomes().countById().size();
        harness.start(); // the restart, with the same transactional id: it aborts the killed one's open transaction
        OutcomeAudit.Outcomes outcomes = harness.awaitEvery(ids, Duration.ofSeconds(90));

        assertThat(before).as("the kill came mid-run").isLessThan(events);
        assertThat(outcomes.missing(ids)).isEmpty();
        assertThat(outcomes.duplicated()).as("read_committed sees one outcome per event").isEmpty();
        assertThat(outcomes.results()).hasSize(events);
    }

    private EngineHarness harness(Map<String, String> overrides) {
        return new EngineHarness(bootstrapServers(), registryUrl(), this::newTopic, 2, overrides);
    }

    private static List<String> rawKeysOf(OutcomeAudit.Outcomes outcomes, String category) {
        return outcomes.deadLetters().stream().filter(d -> d.get("category").textValue().equals(category))
                .map(d -> new String(Base64.getDecoder().decode(d.get("rawKeyBase64").textValue()),
                        StandardCharsets.UTF_8))
                .toList();
    }

    /**
     * Each outcome record starts with the magic byte 0 and a schema id that the registry serves, registered under
     * {@code <topic>-value}: what Confluent's deserializer needs to read it.
     */
    private void theOutcomesAreInTheConfluentWireFormatWithSchemasTheRegistryServes(EngineHarness harness)
            throws Exception {
        ObjectMapper json = new ObjectMapper();
        String subjects = fetch("/subjects");
        for (String topic : List.of(harness.settings().topics().results(), harness.settings().topics().deadLetters())) {
            assertThat(json.readTree(subjects)).as("subjects").anyMatch(s -> s.asText().equals(topic + "-value"));
            for (ConsumerRecord<byte[], byte[]> record : records(harness, topic)) {
                ByteBuffer value = ByteBuffer.wrap(record.value());
                assertThat(value.get()).as("magic byte").isZero();
                JsonNode schema = json.readTree(fetch("/schemas/ids/" + value.getInt()));
                assertThat(schema.get("schema").asText()).contains("\"namespace\":\"dev.courier.avro\"");
            }
        }
    }

    private String fetch(String path) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(registryUrl().resolve(path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s", path).isEqualTo(200);
        return response.body();
    }

    private static List<ConsumerRecord<byte[], byte[]>> records(EngineHarness harness, String topic) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = harness.kafka().standaloneConsumer("e2e-wire-format")) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        assertThat(records).as("records on %s", topic).isNotEmpty();
        return records;
    }
}
