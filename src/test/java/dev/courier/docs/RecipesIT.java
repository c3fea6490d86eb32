package dev.courier.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.courier.testkit.MarkdownBlocks;
import dev.courier.testkit.TestSandbox;
import dev.courier.testkit.WithSandbox;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recipes of docs/recipes.md, run as written against the in-JVM broker and registry: their shell lines by bash,
 * {@code courier} as the jar, {@code courier run} as a process in the background. What differs from the page is where
 * things are: the broker, registry, topics and group come as {@code COURIER_*} variables, the API is a MockWebServer
 * on 127.0.0.1 named by {@code COURIER_COURIER_TARGETS_ORDERS_BASE_URL}, and the admin ports the page writes as
 * 8080 and 8082 are free ports.
 */
@WithSandbox
@Timeout(300)
class RecipesIT {

    private static final Path RECIPES = Path.of("docs", "recipes.md");
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TestSandbox sandbox;
    private final MarkdownBlocks page = MarkdownBlocks.of(RECIPES);
    private final MockWebServer api = new MockWebServer();
    private final List<RecordedRequest> calls = java.util.Collections.synchronizedList(new ArrayList<>());
    private final AtomicBoolean down = new AtomicBoolean();
    @TempDir
    Path dir;
    private RecipeShell shell;
    private Map<String, String> topics;

    RecipesIT(TestSandbox sandbox) {
        this.sandbox = sandbox;
    }

    @BeforeEach
    void startTheApiAndPointCourierAtTheSandbox() throws Exception {
        api.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                calls.add(request);
                String path = request.getTarget();
                if (path.startsWith("/v1/missing")) {
                    return json(404, "{\"error\":\"no such order\"}");
                }
                if (path.startsWith("/v1/fail") && down.get()) {
                    return json(503, "{\"error\":\"down for maintenance\"}");
                }
                return json(201, "{\"order\":\"created\"}");
            }
        });
        api.start(InetAddress.getByName("127.0.0.1"), 0);
    }

    @AfterEach
    void stop() {
        if (shell != null) {
            shell.close();
        }
        api.close();
    }

    @Test
    void callAnApiWithABearerToken() throws Exception {
        String token = "orders-token-" + UUID.randomUUID();
        useTheRecipesSettings("Call an API with a bearer token", 2, false, Map.of("ORDERS_API_TOKEN", token));

        List<RecipeShell.Result> results = shell.runRecipe(block("Call an API with a bearer token", "sh"), WAIT);

        RecipeShell.Result last = results.get(results.size() - 1);
        assertThat(last.exitCode()).as(last.toString()).isZero();
        JsonNode result = JSON.readTree(last.out());
        assertThat(result.get("requestId").asText()).isEqualTo("order-1001");
        assertThat(result.get("statusCode").asInt()).isEqualTo(201);
        RecordedRequest call = onlyCall("/v1/orders");
        assertThat(call.getMethod()).isEqualTo("POST");
        assertThat(call.getHeaders().get("Authorization")).isEqualTo("Bearer " + token);
        assertThat(call.getHeaders().get("Idempotency-Key")).isEqualTo("order-1001");
        assertThat(call.getHeaders().get("Content-Type")).startsWith("application/json");
        assertThat(call.getBody().utf8()).isEqualTo("{\"sku\": \"A-1\", \"quantity\": 2}");
        assertThat(last.out() + last.err()).as("the token is never shown").doesNotContain(token);
    }

    @Test
    void replayYesterdays503s() throws Exception {
        waitOutMidnight();
        useTheRecipesSettings("Call an API with a bearer token", 2, false, Map.of("ORDERS_API_TOKEN", "t"));
        down.set(true);
        // the dead letters: the service's, on a topic of their own, made with one attempt each
        String written = sandbox.newTopic("recipe-written-dead-letters", 2);
        RecipeShell service = shell.with(Map.of("COURIER_COURIER_TOPICS_DEAD_LETTERS", written,
                "COURIER_COURIER_RETRY_MAX_ATTEMPTS", "1"));
        service.start("courier run --config courier.properties").awaitLog(Pattern.compile("Assigned \\["), WAIT);
        produce(service, Map.of("y1", "/fail-1", "y2", "/fail-2", "y3", "/fail-3", "t1", "/fail-4", "m1", "/missing"));
        awaitRecords(written, 5);
        // ... written again to the recipe's dead-letter topic: four yesterday, one (t1) today
        Instant yesterdayNoon = LocalDate.now(ZoneOffset.UTC).minusDays(1).atTime(12, 0).toInstant(ZoneOffset.UTC);
        copyDeadLetters(written, topics.get("COURIER_COURIER_TOPICS_DEAD_LETTERS"),
                id -> id.equals("t1") ? Instant.now() : yesterdayNoon);
        down.set(false);

        List<RecipeShell.Result> results = shell.runRecipe(block("Replay yesterday's 503s", "sh"), WAIT);

        assertThat(results).hasSize(1);
        RecipeShell.Result replay = results.get(0);
        assertThat(replay.exitCode()).as(replay.toString()).isZero();
        assertThat(replay.out()).contains("Dry run: 5 dead letters read, 3 selected by the filters; 3 events would be"
                + " replayed").contains("Nothing was sent.")
                .contains("Replayed 3 events to " + topics.get("COURIER_COURIER_TOPICS_REQUESTS"));
        RecipeShell.Result outcomes = shell.run("courier consume --topic results --from-beginning --max 3"
                + " --timeout 60s", WAIT);
        assertThat(outcomes.exitCode()).as(outcomes.toString()).isZero();
        assertThat(requestIds(outcomes.out())).containsExactlyInAnyOrder("y1", "y2", "y3");
        assertThat(calls("/v1/fail-1")).as("called, failed, replayed and called again").isEqualTo(2);
        assertThat(calls("/v1/fail-4")).as("today's 503 is not yesterday's").isEqualTo(1);
        assertThat(calls("/v1/missing")).as("a 404 is not a 503").isEqualTo(1);
    }

    @Test
    void findOneRequest() throws Exception {
        useTheRecipesSettings("Call an API with a bearer token", 2, true, Map.of("ORDERS_API_TOKEN", "t"));
        RecipeShell.Service service = shell.start("courier run --config courier.properties");
        int adminPort = service.adminPort(WAIT);
        service.awaitLog(Pattern.compile("Assigned \\["), WAIT);
        produce(shell, Map.of("order-1001", "/missing"));
        awaitRecords(topics.get("COURIER_COURIER_TOPICS_DEAD_LETTERS"), 1);
        String recipe = block("Find one request", "sh").replace("127.0.0.1:8080", "127.0.0.1:" + adminPort);
        assertThat(recipe).as("the page's admin address").contains("127.0.0.1:" + adminPort);
        awaitStatus(adminPort, "order-1001");

        List<RecipeShell.Result> results = shell.runRecipe(recipe, WAIT);

        RecipeShell.Result found = results.get(0);
        assertThat(found.exitCode()).as(found.toString()).isZero();
        List<String> lines = found.out().lines().toList();
        assertThat(lines).hasSize(2);
        JsonNode status = JSON.readTree(lines.get(0));
        assertThat(status.get("id").asText()).isEqualTo("order-1001");
        assertThat(status.get("state").asText()).isEqualTo("failed");
        assertThat(status.get("statusCode").asInt()).isEqualTo(404);
        assertThat(status.at("/outcome/topic").asText()).isEqualTo(topics.get("COURIER_COURIER_TOPICS_DEAD_LETTERS"));
        JsonNode deadLetter = JSON.readTree(lines.get(1));
        assertThat(deadLetter.get("requestId").asText()).isEqualTo("order-1001");
        assertThat(deadLetter.get("category").asText()).isEqualTo("HTTP_CLIENT_ERROR");
    }

    @Test
    void runTwoInstances() throws Exception {
        useTheRecipesSettings("Call an API with a bearer token", 4, false, Map.of("ORDERS_API_TOKEN", "t"));
        String recipe = block("Run two instances", "sh");
        assertThat(recipe).contains("-Dcourier.admin.port=8080").contains("-Dcourier.admin.port=8082");
        List<String> lines = RecipeShell.joinContinuations(recipe.replace("-Dcourier.admin.port=8080",
                "-Dcourier.admin.port=0").replace("-Dcourier.admin.port=8082", "-Dcourier.admin.port=0"));
        assertThat(lines).hasSize(2).allMatch(line -> line.startsWith("courier run "));

        RecipeShell.Service first = shell.start(lines.get(0));
        RecipeShell.Service second = shell.start(lines.get(1));
        for (RecipeShell.Service instance : List.of(first, second)) {
            instance.awaitLog(Pattern.compile("Assigned \\[[^\\]]"), WAIT);
        }
        Map<String, String> events = new LinkedHashMap<>();
        for (int i = 0; i < 40; i++) {
            events.put("two-" + i, "/orders/" + i);
        }
        produce(shell, events);
        assertThat(requestIds(awaitResults(40))).containsExactlyInAnyOrderElementsOf(events.keySet());
        for (RecipeShell.Service instance : List.of(first, second)) {
            assertThat(readyChecks(instance.adminPort(WAIT))).as("the checks the operations page shows")
                    .isEqualTo(documentedReadyChecks());
        }
        int assignmentsBefore = second.count("Assigned [");

        assertThat(first.interrupt(WAIT)).as("Ctrl-C: %s", first.tail()).isEqualTo(130);
        second.awaitMoreThan("Assigned [", assignmentsBefore, WAIT);
        Map<String, String> more = new LinkedHashMap<>();
        for (int i = 40; i < 60; i++) {
            more.put("two-" + i, "/orders/" + i);
        }
        produce(shell, more);
        List<String> all = requestIds(awaitResults(60));
        assertThat(all).hasSize(60).containsAll(more.keySet());
        assertThat(new TreeSet<>(all)).as("one result per event").hasSize(60);
        assertThat(second.terminate(WAIT)).isEqualTo(143);
    }

    /**
     * Points the recipes' commands at the sandbox: a properties file from recipe {@code settingsFrom}, new topics and
     * group, the API's address for target orders, and {@code more}.
     */
    private void useTheRecipesSettings(String settingsFrom, int partitions, boolean statuses, Map<String, String> more)
            throws Exception {
        Files.writeString(dir.resolve("courier.properties"), block(settingsFrom, "properties"));
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        topics = new LinkedHashMap<>();
        topics.put("COURIER_COURIER_TOPICS_REQUESTS", sandbox.newTopic("recipe-requests", partitions));
        topics.put("COURIER_COURIER_TOPICS_RESULTS", sandbox.newTopic("recipe-results", partitions));
        topics.put("COURIER_COURIER_TOPICS_DEAD_LETTERS", sandbox.newTopic("recipe-dead-letters", partitions));
        topics.put("COURIER_COURIER_TOPICS_STATUS", sandbox.newTopic("recipe-status", partitions));
        Map<String, String> environment = new LinkedHashMap<>(topics);
        environment.put("COURIER_KAFKA_BOOTSTRAP_SERVERS", sandbox.bootstrapServers());
        environment.put("COURIER_COURIER_SCHEMA_REGISTRY_URL", sandbox.registryUrl().toString());
        environment.put("COURIER_COURIER_GROUP_ID", "recipe-" + suffix);
        environment.put("COURIER_COURIER_TARGETS_ORDERS_BASE_URL", api.url("/v1").toString());
        environment.put("COURIER_COURIER_ADMIN_PORT", "0");
        environment.put("COURIER_COURIER_STATUS_ENABLED", String.valueOf(statuses));
        environment.putAll(more);
        shell = new RecipeShell(dir, environment);
    }

    /** The text of the first block of {@code language} under the page's heading {@code section}. */
    private String block(String section, String language) {
        return page.in(section, language, 0).text();
    }

    /** Publishes one event per id, calling target orders at the path given, with {@code courier produce}. */
    private static void produce(RecipeShell shell, Map<String, String> pathsById) throws Exception {
        StringBuilder lines = new StringBuilder();
        pathsById.forEach((id, path) -> lines.append("{\"id\": \"").append(id).append("\", \"key\": \"").append(id)
                .append("\", \"target\": \"orders\", \"path\": \"").append(path).append("\"}\n"));
        Path file = Files.createTempFile("events", ".jsonl");
        Files.writeString(file, lines);
        RecipeShell.Result produced = shell.run("courier produce --config courier.properties --file " + file, WAIT);
        assertThat(produced.exitCode()).as(produced.toString()).isZero();
    }

    private String awaitResults(int count) throws Exception {
        RecipeShell.Result results = shell.run("courier consume --topic results --from-beginning --max " + count
                + " --timeout 60s", WAIT);
        assertThat(results.exitCode()).as(results.toString()).isZero();
        return results.out();
    }

    private static List<String> requestIds(String jsonLines) throws Exception {
        List<String> ids = new ArrayList<>();
        for (String line : jsonLines.lines().toList()) {
            ids.add(JSON.readTree(line).get("requestId").asText());
        }
        return ids;
    }

    private long calls(String path) {
        return calls.stream().filter(call -> call.getTarget().equals(path)).count();
    }

    private RecordedRequest onlyCall(String path) {
        List<RecordedRequest> found = calls.stream().filter(call -> call.getTarget().equals(path)).toList();
        assertThat(found).as("calls of %s", path).hasSize(1);
        return found.get(0);
    }

    /** Waits until {@code topic} holds {@code count} records (committed), at most {@link #WAIT}. */
    private void awaitRecords(String topic, int count) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            while (System.nanoTime() < deadline) {
                long records = consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
                if (records >= count) {
                    return;
                }
                Thread.sleep(200);
            }
        }
        throw new AssertionError(topic + " did not reach " + count + " records within " + WAIT);
    }

    /**
     * Writes every record of {@code from} to {@code to} as it is (key, value, headers), with the timestamp
     * {@code when} gives its request id: dead letters written at another time, as replay's --since and --until see
     * them (the record's timestamp).
     */
    private void copyDeadLetters(String from, String to, java.util.function.Function<String, Instant> when)
            throws Exception {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer();
                KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                        "bootstrap.servers", sandbox.bootstrapServers()), new ByteArraySerializer(),
                        new ByteArraySerializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(from).stream()
                    .map(p -> new TopicPartition(from, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                assertThat(System.nanoTime()).as("copying %s", from).isLessThan(deadline);
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    Header id = record.headers().lastHeader("courier-request-id");
                    Instant at = when.apply(new String(id.value(), StandardCharsets.UTF_8));
                    producer.send(new ProducerRecord<>(to, null, at.toEpochMilli(), record.key(), record.value(),
                            record.headers())).get(30, TimeUnit.SECONDS);
                }
            }
        }
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, sandbox.bootstrapServers());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Waits until the status view of the instance at {@code adminPort} knows {@code id}. */
    private void awaitStatus(int adminPort, String id) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + WAIT.toNanos();
        int last = -1;
        while (System.nanoTime() < deadline) {
            last = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/requests/" + id))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
            if (last == 200) {
                return;
            }
            Thread.sleep(300);
        }
        throw new AssertionError("the status view did not know " + id + " within " + WAIT + " (last answer " + last
                + ")");
    }

    /** The names of the checks /health/ready of the instance at {@code adminPort} answers with. */
    private static Set<String> readyChecks(int adminPort) throws Exception {
        HttpResponse<String> ready = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + adminPort + "/health/ready")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        return names(JSON.readTree(ready.body()).get("checks"));
    }

    /** The checks in the answer the operations page shows from a ready instance of the walk-through. */
    private static Set<String> documentedReadyChecks() throws Exception {
        String page = Files.readString(Path.of("docs", "operations.md"));
        Matcher answer = Pattern.compile("\\$ curl -s 127\\.0\\.0\\.1:8080/health/ready\\n(\\{.*})\\n").matcher(page);
        assertThat(answer.find()).as("docs/operations.md shows a /health/ready answer").isTrue();
        return names(JSON.readTree(answer.group(1)).get("checks"));
    }

    private static Set<String> names(JsonNode object) {
        Set<String> names = new TreeSet<>();
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    /**
     * "Yesterday" is the calendar day: a test that seeds yesterday's dead letters in the last seconds before midnight
     * (UTC) would see the recipe compute another day. Waits for the new day then, at most two minutes.
     */
    private static void waitOutMidnight() throws InterruptedException {
        Instant now = Instant.now();
        Instant midnight = LocalDate.now(ZoneOffset.UTC).plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        Duration left = Duration.between(now, midnight);
        if (left.compareTo(Duration.ofMinutes(2)) < 0) {
            Thread.sleep(left.toMillis() + 1000);
        }
    }

    private static MockResponse json(int code, String body) {
        return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json").body(body).build();
    }
}
