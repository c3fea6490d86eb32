package dev.courier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.courier.codec.EventJson;
import dev.courier.testkit.TestSandbox;
import dev.courier.testkit.WithSandbox;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The commands against a real broker and registry, each test on topics of its own. */
@WithSandbox
class CommandsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** A dead letter as {@code courier consume --topic dead-letters} prints it. */
    private static final String DEAD_LETTER = "{\"key\":\"order-1004\",\"requestId\":\"req-0004\",\"request\":"
            + "{\"id\":\"req-0004\",\"method\":\"DELETE\",\"url\":\"http://localhost:8090/missing\"},"
            + "\"category\":\"HTTP_CLIENT_ERROR\",\"lastStatusCode\":404,\"errorMessage\":\"HTTP 404 Not Found\","
            + "\"attempts\":1,\"failedAt\":\"2026-11-21T10:15:30.123Z\",\"sourceTopic\":\"courier.requests\","
            + "\"sourcePartition\":2,\"sourceOffset\":0,\"replayCount\":0}";

    private final TestSandbox sandbox;
    private String requests;
    private String results;
    private String deadLetters;
    private String status;

    CommandsIT(TestSandbox sandbox) {
        this.sandbox = sandbox;
    }

    @BeforeEach
    void nameTopics() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        requests = "requests-" + suffix;
        results = "results-" + suffix;
        deadLetters = "dead-letters-" + suffix;
        status = "status-" + suffix;
    }

    @Test
    void topicsCreateMakesTheFourTopicsTheStatusTopicCompactedAndRunningItAgainIsFine() throws Exception {
        Cli.Run first = courier("topics", "create", "-Dcourier.topics.partitions=3", "-Dcourier.status.retention=2d");
        Cli.Run second = courier("topics", "create", "-Dcourier.topics.partitions=3");

        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(first.outLines()).containsExactly(
                "created " + requests + " (3 partitions)",
                "created " + results + " (3 partitions)",
                "created " + deadLetters + " (3 partitions)",
                "created " + status + " (3 partitions)");
        assertThat(second.exitCode()).as(second.toString()).isZero();
        assertThat(second.outLines()).containsExactlyInAnyOrder(
                "exists  " + requests + " (3 partitions)",
                "exists  " + results + " (3 partitions)",
                "exists  " + deadLetters + " (3 partitions)",
                "exists  " + status + " (3 partitions)");
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", sandbox.bootstrapServers()))) {
            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, status);
            Config config = admin.describeConfigs(List.of(topic)).all().get(30, TimeUnit.SECONDS).get(topic);
            assertThat(config.get("cleanup.policy").value()).isEqualTo("compact,delete");
            assertThat(config.get("retention.ms").value()).isEqualTo(String.valueOf(Duration.ofDays(2).toMillis()));
        }
    }

    @Test
    void topicsCreateMakesNoStatusTopicWhenStatusesAreOff() {
        Cli.Run run = courier("topics", "create", "-Dcourier.status.enabled=false");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.outLines()).hasSize(3).noneMatch(line -> line.contains(status));
    }

    @Test
    void topicsCreateSaysWhenAnExistingTopicHasOtherPartitions() {
        courier("topics", "create", "-Dcourier.topics.partitions=2");

        Cli.Run run = courier("topics", "create", "-Dcourier.topics.partitions=4");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("exists  " + requests + " (2 partitions; courier.topics.partitions is 4, left unchanged)");
    }

    @Test
    void theExamplesRoundTripThroughProduceAndConsumeWithEveryFieldIntact() throws Exception {
        createTopics();
        List<String> lines = Files.readAllLines(Path.of("examples/requests.jsonl"), StandardCharsets.UTF_8);

        Cli.Run produced = courier("produce", "--config", "examples/courier.properties", "--file",
                "examples/requests.jsonl");
        Cli.Run consumed = courier("consume", "--topic", "requests", "--from-beginning", "--max",
                String.valueOf(lines.size()), "--timeout", "20s");

        assertThat(produced.exitCode()).as(produced.toString()).isZero();
        assertThat(produced.err()).isEqualTo("sent " + lines.size() + " events to " + requests + "\n");
        assertThat(consumed.exitCode()).as(consumed.toString()).isZero();
        assertThat(consumed.err()).isEqualTo("consumed " + lines.size() + " events from " + requests + "\n");
        assertThat(parse(consumed.outLines())).containsExactlyInAnyOrderElementsOf(
                lines.stream().map(CommandsIT::canonical).toList());
    }

    @Test
    void whatConsumePrintsFromTheRequestsTopicCanBeProducedAgain() throws Exception {
        createTopics();
        courier("produce", "--config", "examples/courier.properties", "--file", "examples/requests.jsonl");
        Cli.Run first = courier("consume", "--topic", "requests", "--from-beginning", "--max", "6", "--timeout", "20s");

        Cli.Run again = courierWithInput(first.out(), "produce", "--config", "examples/courier.properties");
        Cli.Run all = courier("consume", "--topic", "requests", "--from-beginning", "--max", "12", "--timeout", "20s");

        assertThat(again.exitCode()).as(again.toString()).isZero();
        List<JsonNode> events = parse(all.outLines());
        assertThat(events.subList(0, 6)).containsExactlyInAnyOrderElementsOf(events.subList(6, 12));
    }

    @Test
    void eachBadLineIsReportedWithItsNumberAndTheGoodLinesAreSent() {
        createTopics();
        String input = String.join("\n",
                "{\"id\": \"good-1\", \"url\": \"https://api.example.com/a\"}",
                "this is not json",
                "{\"url\": \"https://api.example.com/a\"}",
                "{\"id\": \"m\", \"method\": \"FETCH\", \"url\": \"https://api.example.com/a\"}",
                "{\"id\": \"r\", \"url\": \"/orders/1\"}",
                "{\"id\": \"f\", \"url\": \"ftp://files.example.com/a\"}",
                "{\"id\": \"t\", \"target\": \"billing\", \"path\": \"/x\"}",
                "{\"id\": \"b\", \"method\": \"POST\", \"url\": \"https://api.example.com/a\", \"bodyBase64\": \"%%%\"}",
                "",
                "{\"id\": \"good-2\", \"target\": \"payments\", \"path\": \"/charges\"}",
                "[1, 2]",
                "{\"id\": \"u\", \"url\": \"https://api.example.com/a\", \"methd\": \"GET\"}",
                "{\"id\": \"cut\", \"url\": \"https://api.example.com/a\"",
                "{\"id\": \"p1\", \"url\": \"https://api.example.com/a\", \"priority\": 1}",
                "{\"id\": \"p2\", \"url\": \"https://api.example.com/a\", \"priority\": 2}",
                DEAD_LETTER,
                DEAD_LETTER);

        Cli.Run run = courierWithInput(input, "produce", "-Dcourier.targets.payments.base-url=https://payments.example.com");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.err()).doesNotContain("Source:", "Unexpected", "Unrecognized");
        assertThat(run.err().split("\n")).containsExactly(
                "line 2: at column 1, expected a JSON object starting with '{', found 'this'",
                "line 3: missing required field \"id\"",
                "line 4: unknown method \"FETCH\"; allowed: GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS",
                "line 5: url \"/orders/1\" must be an absolute http or https URL",
                "line 6: url \"ftp://files.example.com/a\" has scheme ftp; only http and https are allowed",
                "line 7: target \"billing\" is not configured (define courier.targets.billing.base-url)",
                "line 8: field \"bodyBase64\" is not valid base64",
                "line 11: expected a JSON object, got array",
                "line 12: unknown field \"methd\" (did you mean \"method\"?)",
                "line 13: the line ends after column 48 before the JSON is complete; expected '}' to close the object",
                "line 14: unknown field \"priority\"",
                "line 15: unknown field \"priority\"",
                "line 16: this is a dead letter (as courier consume --topic dead-letters prints it), not a request",
                "line 17: this is a dead letter (as courier consume --topic dead-letters prints it), not a request",
                RequestLines.Hint.KNOWN_FIELDS.explanation(),
                RequestLines.Hint.DEAD_LETTER.explanation(),
                "sent 2 events to " + requests + "; 14 lines not sent");
        Cli.Run consumed = courier("consume", "--topic", "requests", "--from-beginning", "--max", "2", "--timeout", "20s");
        assertThat(consumed.out()).contains("\"id\":\"good-1\"").contains("\"id\":\"good-2\"");
    }

    @Test
    void produceToATopicThatDoesNotExistSaysHowToCreateIt() {
        Cli.Run run = courierWithInput("{\"id\": \"a\", \"url\": \"https://a.example.com\"}", "produce");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("courier produce: topic " + requests
                + " does not exist; create Courier's topics with 'courier topics create'\n");
    }

    @Test
    void anUnreachableRegistryStopsProduceWithAClearMessage() {
        createTopics();

        Cli.Run run = courierWithInput("{\"id\": \"a\", \"url\": \"https://a.example.com\"}", "produce",
                "-Dcourier.schema-registry.url=http://127.0.0.1:1", "-Dcourier.schema-registry.timeout=2s");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("sent 0 events to " + requests)
                .contains("courier produce: stopped at line 1: schema registry http://127.0.0.1:1 is unreachable");
    }

    @Test
    void aMissingInputFileIsNamed() {
        createTopics();

        Cli.Run run = courier("produce", "--file", "no-such-file.jsonl");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("courier produce: cannot read no-such-file.jsonl: no such file\n");
    }

    @Test
    void consumeSkipsAndReportsARecordItCannotDecodeAndPrintsTheRest() throws Exception {
        createTopics();
        courierWithInput("{\"key\": \"k\", \"id\": \"before\", \"url\": \"https://a.example.com\"}", "produce",
                "-Dcourier.topics.partitions=1");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", sandbox.bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(requests, "k".getBytes(StandardCharsets.UTF_8),
                    "{\"id\":\"json\"}".getBytes(StandardCharsets.UTF_8))).get();
        }
        courierWithInput("{\"key\": \"k\", \"id\": \"after\", \"url\": \"https://a.example.com\"}", "produce");

        Cli.Run run = courier("consume", "--topic", "requests", "--from-beginning", "--timeout", "3s");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.outLines()).hasSize(2);
        assertThat(run.outLines().get(0)).contains("\"id\":\"before\"");
        assertThat(run.outLines().get(1)).contains("\"id\":\"after\"");
        assertThat(run.err()).contains("offset 1: record on topic \"" + requests
                + "\" starts with byte 0x7b, not the Confluent magic byte 0x00")
                .contains("consumed 2 events from " + requests + "; 1 record could not be decoded");
    }

    @Test
    void consumeThatGetsFewerThanMaxBeforeTheTimeoutFails() {
        createTopics();

        Cli.Run run = courier("consume", "--topic", "results", "--max", "3", "--timeout", "1s");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("consumed 0 events from " + results + "\n"
                + "courier consume: timed out after 1s without a new event, with 0 of 3 events\n");
    }

    @Test
    void consumeWithoutFromBeginningPrintsOnlyNewEvents() {
        createTopics();
        courierWithInput("{\"id\": \"old\", \"url\": \"https://a.example.com\"}", "produce");

        Cli.Run run = courier("consume", "--topic", "requests", "--timeout", "2s");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEmpty();
    }

    private void createTopics() {
        Cli.Run run = courier("topics", "create", "-Dcourier.topics.partitions=1");
        assertThat(run.exitCode()).as(run.toString()).isZero();
    }

    private Cli.Run courier(String... args) {
        return courierWithInput("", args);
    }

    private Cli.Run courierWithInput(String input, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        Map<String, String> defaults = Map.of(
                "courier.topics.partitions", "1",
                "kafka.bootstrap.servers", sandbox.bootstrapServers(),
                "courier.schema-registry.url", sandbox.registryUrl().toString(),
                "courier.topics.requests", requests,
                "courier.topics.results", results,
                "courier.topics.dead-letters", deadLetters,
                "courier.topics.status", status);
        defaults.forEach((key, value) -> {
            if (all.stream().noneMatch(arg -> arg.startsWith("-D" + key + "="))) {
                all.add("-D" + key + "=" + value);
            }
        });
        return Cli.runWithInput(input, all.toArray(String[]::new));
    }

    /** The line as consume prints it: the key first, then every field of the event in schema form. */
    private static JsonNode canonical(String line) {
        try {
            ObjectNode input = (ObjectNode) JSON.readTree(line);
            ObjectNode expected = JSON.createObjectNode();
            JsonNode key = input.remove("key");
            if (key != null) {
                expected.set("key", key);
            }
            expected.setAll(EventJson.toJson(EventJson.requestFromJson(input)));
            return JSON.readTree(JSON.writeValueAsString(expected));
        } catch (Exception e) {
            throw new IllegalArgumentException(line, e);
        }
    }

    private static List<JsonNode> parse(List<String> lines) {
        return lines.stream().flatMap(line -> {
            try {
                return Stream.of(JSON.readTree(line));
            } catch (Exception e) {
                throw new IllegalArgumentException(line, e);
            }
        }).toList();
    }
}
