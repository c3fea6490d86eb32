package dev.courier.bench;

import dev.courier.codec.EventCodec;
import dev.courier.codec.SchemaRegistryClient;
import dev.courier.model.Attempts;
import dev.courier.model.Bytes;
import dev.courier.model.DeadLetterEntry;
import dev.courier.model.FailureCategory;
import dev.courier.model.Outcome;
import dev.courier.model.RequestSpec;
import dev.courier.model.Source;
import dev.courier.sandbox.LocalSandbox;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * How fast {@code courier replay} publishes dead letters again: writes N dead letters of about 1 KB (the events of a
 * target that was down) to a dead-letter topic of the sandbox's broker, then runs {@code java -jar courier.jar replay}
 * as its own process with no {@code --rate} and times it from start to exit, JVM start and the checks against the
 * results and requests topics included. Started by {@code bench/replay.sh}; writes {@code bench/results/replay.md}.
 *
 * <p>Arguments: {@code <courier.jar> <results dir> [dead letters, default 100000]}.
 */
public final class ReplayBench {

    private static final int PARTITIONS = 6;

    private static final int REPETITIONS = 3;

    private ReplayBench() {
    }

    public static void main(String[] args) throws Exception {
        Path courierJar = Path.of(args[0]).toAbsolutePath();
        Path resultsDir = Path.of(args[1]).toAbsolutePath();
        int count = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
        try (LocalSandbox sandbox = LocalSandbox.start(LocalSandbox.Options.defaults());
                Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                        sandbox.bootstrapServers()))) {
            // Each run replays to its own requests topic, which holds the original events as a real one would: replay
            // reads it for replays not processed yet, and a second run to the same topic would find them all there.
            List<String> requestTopics = new ArrayList<>();
            List<NewTopic> topics = new ArrayList<>(List.of(new NewTopic("bench.results", PARTITIONS, (short) 1),
                    new NewTopic("bench.dead-letters", PARTITIONS, (short) 1),
                    // replay writes each replayed event's pending status there, before its request
                    new NewTopic(StatusCost.TOPIC, PARTITIONS, (short) 1).configs(Map.of("cleanup.policy",
                            "compact,delete"))));
            for (int rep = 1; rep <= REPETITIONS; rep++) {
                requestTopics.add("bench.requests-" + rep);
                topics.add(new NewTopic("bench.requests-" + rep, PARTITIONS, (short) 1));
            }
            admin.createTopics(topics).all().get(60, TimeUnit.SECONDS);
            EventCodec codec = EventCodec.create(SchemaRegistryClient.builder(sandbox.registryUrl()).build(), true);
            long loadStart = System.nanoTime();
            writeEvents(sandbox.bootstrapServers(), codec, count, requestTopics);
            double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
            System.out.printf("wrote %,d dead letters, and their events to %s, in %.1f s%n", count, requestTopics,
                    loadSeconds);

            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", courierJar.toString(),
                    "replay", "-Dkafka.bootstrap.servers=" + sandbox.bootstrapServers(),
                    "-Dcourier.schema-registry.url=" + sandbox.registryUrl(),
                    "-Dcourier.topics.results=bench.results", "-Dcourier.topics.dead-letters=bench.dead-letters"));
            Path log = Files.createDirectories(resultsDir.getParent().resolve("target").resolve("runs"))
                    .resolve("replay.log");
            List<String> lines = new ArrayList<>();
            double[] wall = new double[REPETITIONS];
            double[] own = new double[REPETITIONS];
            for (int rep = 0; rep < REPETITIONS; rep++) { // the dead letters stay: each run replays all of them
                List<String> run = new ArrayList<>(command);
                run.add("-Dcourier.topics.requests=" + requestTopics.get(rep));
                long start = System.nanoTime();
                Process replay = new ProcessBuilder(run).redirectErrorStream(true).redirectOutput(log.toFile())
                        .start();
                if (!replay.waitFor(10, TimeUnit.MINUTES)) {
                    replay.destroyForcibly();
                    throw new IllegalStateException("courier replay did not finish within 10 minutes; see " + log);
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                String output = Files.readString(log);
                java.util.regex.Matcher summary = java.util.regex.Pattern.compile("Replayed " + count
                        + " events to \\S+ in ([0-9.]+) s").matcher(output);
                if (replay.exitValue() != 0 || !summary.find()) {
                    throw new IllegalStateException("courier replay exited " + replay.exitValue() + ":\n" + output);
                }
                wall[rep] = count / seconds;
                own[rep] = count / Double.parseDouble(summary.group(1));
                String line = String.format("run %d: %.1f s from process start to exit, %,.0f events/s; %s s and"
                        + " %,.0f events/s by the command's own clock (JVM start excluded)", rep + 1, seconds,
                        wall[rep], summary.group(1), own[rep]);
                System.out.println(line);
                lines.add("- " + line);
            }
            java.util.Arrays.sort(wall);
            java.util.Arrays.sort(own);
            String median = String.format("courier replay of %,d dead letters (no --rate, %d partitions), median of"
                    + " %d runs: %,.0f events/s from process start to exit, %,.0f events/s by the command's own clock",
                    count, PARTITIONS, REPETITIONS, wall[REPETITIONS / 2], own[REPETITIONS / 2]);
            System.out.println(median);
            Files.writeString(resultsDir.resolve("replay.md"), "# Replay throughput\n\n" + median + " (machine: "
                    + Runtime.getRuntime().availableProcessors() + " cores, " + Instant.now() + ").\n\n"
                    + String.join("\n", lines) + "\n");
        }
    }

    /** Writes {@code count} dead letters, and the events they were made of to each of {@code requestTopics}. */
    private static void writeEvents(String bootstrap, EventCodec codec, int count, List<String> requestTopics)
            throws Exception {
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.LINGER_MS_CONFIG, 20, ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        byte[] body = "{\"amount\":1,\"note\":\"".concat("x".repeat(800)).concat("\"}").getBytes(StandardCharsets.UTF_8);
        Instant now = Instant.now();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < count; i++) {
                String id = "replay-" + i;
                RequestSpec request = new RequestSpec(id, "POST", "https://api.example.com/orders/" + i, null, null,
                        Map.of("X-Tenant", "t" + (i % 10)), Bytes.copyOf(body), "application/json", null, null, null,
                        "idem-" + id, null, null, Map.of());
                DeadLetterEntry letter = new DeadLetterEntry(request, Bytes.utf8("k" + (i % 1000)), null,
                        new Outcome.DeadLetter(FailureCategory.RETRIES_EXHAUSTED, 503, "HTTP 503 five times",
                                new Attempts(5, now, now)), now, new Source(requestTopics.get(0), i % PARTITIONS, i), 0);
                byte[] key = ("k" + (i % 1000)).getBytes(StandardCharsets.UTF_8);
                for (String topic : requestTopics) {
                    producer.send(new ProducerRecord<>(topic, key, codec.encodeRequest(topic, request)));
                }
                producer.send(new ProducerRecord<>("bench.dead-letters", key,
                        codec.encodeDeadLetter("bench.dead-letters", letter)));
            }
            producer.flush();
        }
    }
}
